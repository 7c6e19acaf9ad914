"""CancelOrder, SetOrderStatus and ShowOrder with the fakes: stock and coupon given back in the cancelling
transaction, the refund of a paid order asked for only after that transaction is committed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal

import pytest

from s2cart.application.addresses.add_address import AddAddress
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.orders.cancel_order import CancelOrder
from s2cart.application.orders.place_order import PlaceOrder, PlaceOrderCommand
from s2cart.application.orders.set_order_status import SetOrderStatus, ShowOrder
from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.gateways import Gateways, PaymentLinks
from s2cart.application.payments.handle_callback import HandleGatewayCallback
from s2cart.application.payments.initiate_payment import InitiatePayment
from s2cart.application.payments.refund_cancelled_order import RefundCancelledOrder
from s2cart.application.payments.refunds import Refunds
from s2cart.application.payments.settlement import Settlement
from s2cart.application.payments.starter import AttemptStarter
from s2cart.domain.catalog.coupon import Coupon, CouponKind
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.orders.order import Order
from s2cart.domain.orders.pricing import PricingPolicy
from s2cart.domain.orders.status import InvalidTransition, NotCancellable, OrderStatus
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.payments.payment import PaymentState
from s2cart.domain.shared.errors import ValidationFailed
from tests.fakes import FakeClock
from tests.payment_fakes import FakeGateway, OrdersUnitOfWork, callback

ALICE, BOB = 1, 2
HOME = {
    "contact_name": "John Doe",
    "street_address": "123 Main Street",
    "city": "Mumbai",
    "state": "Maharashtra",
    "pin_code": "400001",
    "phone_number": "9876543210",
}


@dataclass
class World:
    uow: OrdersUnitOfWork
    clock: FakeClock
    paytm: FakeGateway
    cancel: CancelOrder
    set_status: SetOrderStatus
    show: ShowOrder
    initiate: InitiatePayment
    callback: HandleGatewayCallback

    def stock(self, product_id: str) -> int | None:
        return self.uow.catalog.products[("store_123", product_id)].stock

    def stored(self, order: Order) -> Order:
        assert order.id is not None
        return self.uow.orders.orders[order.id]

    async def place(self, coupon: str | None = None) -> Order:
        add = AddItemToCart(self.uow, self.clock, 99)
        await add(ALICE, AddItemToCartCommand("store_123", "prod_001", quantity=2))
        await add(ALICE, AddItemToCartCommand("store_123", "prod_009", quantity=1))
        [cart] = self.uow.carts.books[ALICE].carts
        address = await AddAddress(self.uow, self.clock)(ALICE, HOME)
        assert cart.id is not None and address.id is not None
        place = PlaceOrder(self.uow, self.clock, PricingPolicy(), delivery_days=5)
        return await place(ALICE, PlaceOrderCommand(cart.id, address.id, coupon_code=coupon))

    async def pay(self, order: Order) -> None:
        assert order.id is not None
        started = await self.initiate(ALICE, order.id, "PAYTM")
        gateway_id = started.payment_data.gateway_order_id
        self.paytm.states[gateway_id] = GatewayState.SUCCESS
        await self.callback("PAYTM", callback(gateway_id))
        assert self.stored(order).paid_at is not None


@pytest.fixture
def world() -> World:
    clock = FakeClock()
    uow = OrdersUnitOfWork()
    uow.catalog.stores["store_123"] = Store("store_123", "SuperMart")
    for product in (
        Product("store_123", "prod_001", "Wireless Headphones", Decimal("500.00"), 100),
        Product("store_123", "prod_009", "Last Few", Decimal("99.99"), stock=3),
    ):
        uow.catalog.products[(product.store_id, product.id)] = product
    uow.catalog.coupons["ONCE"] = Coupon("ONCE", CouponKind.FLAT, Decimal("50.00"), usage_limit=1)
    paytm = FakeGateway("PAYTM", clock)
    gateways = Gateways({"PAYTM": paytm})
    deadline = GatewayDeadline(2.0)
    refunds = Refunds(uow, gateways, clock)
    refund = RefundCancelledOrder(uow, refunds, deadline)
    starter = AttemptStarter(uow, clock, PaymentLinks("https://api.s2cart.test/api/auth"), deadline)
    return World(
        uow=uow,
        clock=clock,
        paytm=paytm,
        cancel=CancelOrder(uow, clock, refund),
        set_status=SetOrderStatus(uow, clock, refund),
        show=ShowOrder(uow),
        initiate=InitiatePayment(uow, gateways, clock, starter),
        callback=HandleGatewayCallback(uow, gateways, clock, Settlement(uow, gateways, clock), refunds, deadline),
    )


async def test_cancelling_gives_the_stock_and_the_coupon_back(world: World) -> None:
    order = await world.place(coupon="ONCE")
    assert (world.stock("prod_001"), world.stock("prod_009")) == (98, 2)
    world.clock.advance(minutes=5)

    cancelled = await world.cancel(ALICE, order.id or 0, "  changed my mind ")

    stored = world.stored(order)
    assert (stored.status, stored.cancellation_reason, stored.cancelled_at) == (
        OrderStatus.CANCELLED,
        "changed my mind",
        world.clock.now(),
    )
    assert cancelled.status is OrderStatus.CANCELLED and not stored.refund_due  # never paid
    assert (world.stock("prod_001"), world.stock("prod_009")) == (100, 3)
    assert await world.uow.orders.coupon_uses("ONCE", ALICE) == (0, 0)  # usable again
    assert world.paytm.refunds == []


async def test_a_coupon_given_back_can_be_used_by_the_next_order(world: World) -> None:
    first = await world.place(coupon="ONCE")
    await world.cancel(ALICE, first.id or 0, "")
    second = await world.place(coupon="ONCE")
    assert second.totals.discount_amount == Decimal("50.00")


async def test_cancelling_a_paid_order_refunds_it_after_the_cancellation_is_committed(world: World) -> None:
    order = await world.place()
    await world.pay(order)
    stored_at_refund: list[tuple[OrderStatus, int | None]] = []
    original = world.paytm.refund

    async def watching(request):  # type: ignore[no-untyped-def]
        stored_at_refund.append((world.stored(order).status, world.stock("prod_009")))
        return await original(request)

    world.paytm.refund = watching  # type: ignore[method-assign]
    # A refund asked inside the cancelling transaction would wait on the order lock that transaction holds.
    await asyncio.wait_for(world.cancel(ALICE, order.id or 0, "too slow"), timeout=2)

    assert stored_at_refund == [(OrderStatus.CANCELLED, 3)]  # committed, stock back, before the gateway is asked
    assert world.stored(order).refund_due
    [payment] = world.uow.payments.payments.values()
    assert payment.status is PaymentState.REFUNDED
    assert [r.amount for r in world.paytm.refunds] == [order.totals.total_amount]


async def test_a_shipped_order_cannot_be_cancelled_and_nothing_changes(world: World) -> None:
    order = await world.place()
    for status in (OrderStatus.CONFIRMED, OrderStatus.PROCESSING, OrderStatus.PACKED):
        await world.set_status(str(order.id), status)
    await world.set_status(str(order.id), OrderStatus.SHIPPED, tracking_number="TRK1", carrier="BlueDart")

    with pytest.raises(NotCancellable):
        await world.cancel(ALICE, order.id or 0, "too late")

    stored = world.stored(order)
    assert (stored.status, stored.tracking_number, stored.carrier_name) == (OrderStatus.SHIPPED, "TRK1", "BlueDart")
    assert world.stock("prod_009") == 2


async def test_another_users_order_is_not_found_and_untouched(world: World) -> None:
    order = await world.place()
    with pytest.raises(OrderNotFound):
        await world.cancel(BOB, order.id or 0, "not mine")
    with pytest.raises(OrderNotFound):
        await world.cancel(ALICE, 2**63, "unstorable id")
    assert world.stored(order).status is OrderStatus.PLACED and world.stock("prod_009") == 2


async def test_the_operator_cancelling_gives_back_and_refunds_as_the_customer_does(world: World) -> None:
    order = await world.place(coupon="ONCE")
    await world.pay(order)

    moved = await world.set_status(str(order.id), OrderStatus.CANCELLED)

    assert (moved.status, moved.cancellation_reason) == (OrderStatus.CANCELLED, "Cancelled by S2Cart")
    assert (world.stock("prod_001"), world.stock("prod_009")) == (100, 3)
    assert await world.uow.orders.coupon_uses("ONCE", ALICE) == (0, 0)
    [payment] = world.uow.payments.payments.values()
    assert payment.status is PaymentState.REFUNDED and len(world.paytm.refunds) == 1


async def test_shipping_needs_a_tracking_number_and_delivery_records_the_time(world: World) -> None:
    order = await world.place()
    reference = str(order.id)
    for status in (OrderStatus.CONFIRMED, OrderStatus.PROCESSING, OrderStatus.PACKED):
        await world.set_status(reference, status)

    with pytest.raises(ValidationFailed):
        await world.set_status(reference, OrderStatus.SHIPPED)
    assert world.stored(order).status is OrderStatus.PACKED

    await world.set_status(reference, OrderStatus.SHIPPED, tracking_number="TRK9")
    world.clock.advance(days=2)
    await world.set_status(reference, OrderStatus.DELIVERED)
    stored = world.stored(order)
    assert (stored.status, stored.actual_delivery_date, stored.tracking_number) == (
        OrderStatus.DELIVERED,
        world.clock.now(),
        "TRK9",
    )
    assert world.stock("prod_009") == 2  # a delivered order keeps its stock


async def test_a_move_the_state_machine_forbids_changes_nothing(world: World) -> None:
    order = await world.place()
    with pytest.raises(InvalidTransition):
        await world.set_status(str(order.id), OrderStatus.DELIVERED)
    assert world.stored(order).status is OrderStatus.PLACED


async def test_show_order_finds_by_reference_or_says_not_found(world: World) -> None:
    order = await world.place()
    shown = await world.show(str(order.id))
    assert (shown.id, shown.order_number) == (order.id, order.order_number)
    with pytest.raises(OrderNotFound):
        await world.show("999")
    with pytest.raises(OrderNotFound):
        await world.set_status("999", OrderStatus.CONFIRMED)
