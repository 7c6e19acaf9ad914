"""ListOrders and GetOrder over a fake reader: the caller's orders, newest first, filtered by status,
each with its lines and payments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from s2cart.application.addresses.add_address import AddAddress
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.orders.place_order import PlaceOrder, PlaceOrderCommand
from s2cart.application.orders.queries import GetOrder, ListOrders
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.orders.order import Order
from s2cart.domain.orders.pricing import PricingPolicy
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.pagination import PageRequest
from tests.fakes import FakeClock
from tests.payment_fakes import OrdersUnitOfWork
from tests.reader_fakes import FakeOrderReader

ALICE, BOB = 1, 2
HOME = {
    "contact_name": "John Doe",
    "street_address": "123 Main Street",
    "city": "Mumbai",
    "state": "Maharashtra",
    "pin_code": "400001",
    "phone_number": "9876543210",
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def uow() -> OrdersUnitOfWork:
    fake = OrdersUnitOfWork()
    fake.catalog.stores["store_123"] = Store("store_123", "SuperMart")
    fake.catalog.products[("store_123", "prod_001")] = Product("store_123", "prod_001", "Headphones", Decimal("500.00"))
    return fake


async def _order(uow: OrdersUnitOfWork, clock: FakeClock, quantity: int, user: int = ALICE) -> Order:
    await AddItemToCart(uow, clock, 99)(user, AddItemToCartCommand("store_123", "prod_001", quantity=quantity))
    [cart] = uow.carts.books[user].carts
    address = await AddAddress(uow, clock)(user, HOME)
    assert cart.id is not None and address.id is not None
    order = await PlaceOrder(uow, clock, PricingPolicy(), 5)(user, PlaceOrderCommand(cart.id, address.id))
    clock.advance(hours=1)
    return order


def _reader(uow: OrdersUnitOfWork) -> FakeOrderReader:
    return FakeOrderReader(uow.orders, uow.payments)


async def test_orders_list_newest_first_or_by_total_and_only_the_callers(
    uow: OrdersUnitOfWork, clock: FakeClock
) -> None:
    small, big, newest = await _order(uow, clock, 1), await _order(uow, clock, 3), await _order(uow, clock, 2)
    await _order(uow, clock, 1, user=BOB)
    listing = ListOrders(_reader(uow))

    page = await listing(ALICE, PageRequest(page_size=2))
    assert ([o.id for o in page.items], page.total_count, page.has_next) == ([newest.id, big.id], 3, True)
    by_total = await listing(ALICE, PageRequest(), "total_amount")
    assert [o.id for o in by_total.items] == [small.id, newest.id, big.id]
    [line] = by_total.items[0].items
    assert (line.product_id, line.quantity, line.total_price) == ("prod_001", 1, Decimal("500.00"))


async def test_orders_filter_by_status_and_refuse_unknown_status_or_ordering(
    uow: OrdersUnitOfWork, clock: FakeClock
) -> None:
    placed, cancelled = await _order(uow, clock, 1), await _order(uow, clock, 1)
    assert cancelled.id is not None
    stored = uow.orders.orders[cancelled.id]
    stored.cancel("changed my mind", clock.now())
    listing = ListOrders(_reader(uow))

    assert [o.id for o in (await listing(ALICE, PageRequest(), status="CANCELLED")).items] == [cancelled.id]
    assert [o.id for o in (await listing(ALICE, PageRequest(), status="PLACED")).items] == [placed.id]
    with pytest.raises(ValidationFailed):
        await listing(ALICE, PageRequest(), status="LOST")
    with pytest.raises(ValidationFailed):
        await listing(ALICE, PageRequest(), ordering="user_id")


async def test_get_order_is_the_callers_own_or_not_found(uow: OrdersUnitOfWork, clock: FakeClock) -> None:
    order = await _order(uow, clock, 2)
    assert order.id is not None
    view = await GetOrder(_reader(uow))(ALICE, order.id)
    assert (view.order_number, view.status, view.total_amount, view.payments) == (
        order.order_number,
        OrderStatus.PLACED.value,
        order.totals.total_amount,
        (),
    )
    with pytest.raises(OrderNotFound):
        await GetOrder(_reader(uow))(BOB, order.id)
