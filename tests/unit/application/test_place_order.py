"""PlaceOrder with the fakes: catalog prices, coupon, tax, stock in the one lock order, the cart emptied."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from s2cart.application.addresses.add_address import AddAddress
from s2cart.application.addresses.update_address import UpdateAddress
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.orders.place_order import PlaceOrder, PlaceOrderCommand
from s2cart.domain.carts.errors import CartNotFound
from s2cart.domain.catalog.coupon import Coupon, CouponKind, CouponRejected, CouponRejection
from s2cart.domain.catalog.errors import OutOfStock
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.orders.errors import AddressNotFound, CartAlreadyOrdered, EmptyCart
from s2cart.domain.orders.pricing import PricingPolicy
from s2cart.domain.orders.status import OrderStatus
from tests.fakes import FakeClock
from tests.payment_fakes import OrdersUnitOfWork

ALICE, BOB = 1, 2
HOME = {
    "contact_name": "John Doe",
    "street_address": "123 Main Street",
    "city": "Mumbai",
    "state": "Maharashtra",
    "pin_code": "400001",
    "phone_number": "9876543210",
}
POLICY = PricingPolicy(tax_rate=Decimal("0.18"), shipping_fee=Decimal("50.00"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def uow() -> OrdersUnitOfWork:
    fake = OrdersUnitOfWork()
    fake.catalog.stores["store_123"] = Store("store_123", "SuperMart")
    for product in (
        Product("store_123", "prod_001", "Wireless Headphones", Decimal("500.00"), 100),
        Product("store_123", "prod_003", "USB-C Cable", Decimal("250.50")),
        Product("store_123", "prod_009", "Last Few", Decimal("99.99"), stock=3),
    ):
        fake.catalog.products[(product.store_id, product.id)] = product
    fake.catalog.coupons["SAVE10"] = Coupon("SAVE10", CouponKind.PERCENT, Decimal("10"), per_user_limit=1)
    return fake


async def _cart(uow: OrdersUnitOfWork, clock: FakeClock, *items: tuple[str, int], user: int = ALICE) -> int:
    add = AddItemToCart(uow, clock, 99)
    for product_id, quantity in items:
        await add(user, AddItemToCartCommand("store_123", product_id, quantity=quantity))
    [cart] = uow.carts.books[user].carts
    assert cart.id is not None
    return cart.id


async def _address(uow: OrdersUnitOfWork, clock: FakeClock, user: int = ALICE) -> int:
    address = await AddAddress(uow, clock)(user, HOME)
    assert address.id is not None
    return address.id


def _place(uow: OrdersUnitOfWork, clock: FakeClock) -> PlaceOrder:
    return PlaceOrder(uow, clock, POLICY, delivery_days=5)


def _stock(uow: OrdersUnitOfWork, product_id: str) -> int | None:
    return uow.catalog.products[("store_123", product_id)].stock


async def test_an_order_is_priced_from_the_catalog_now_with_tax_and_shipping(
    uow: OrdersUnitOfWork, clock: FakeClock
) -> None:
    cart_id = await _cart(uow, clock, ("prod_001", 2), ("prod_003", 1))
    address_id = await _address(uow, clock)
    key = ("store_123", "prod_001")
    uow.catalog.products[key] = replace(uow.catalog.products[key], price=Decimal("450.00"))  # changed since added

    order = await _place(uow, clock)(ALICE, PlaceOrderCommand(cart_id, address_id, "  ring twice  "))

    assert [(line.product_id, line.unit_price, line.quantity) for line in order.lines] == [
        ("prod_001", Decimal("450.00"), 2),
        ("prod_003", Decimal("250.50"), 1),
    ]
    totals = order.totals
    assert (totals.subtotal, totals.tax_amount, totals.shipping_cost, totals.discount_amount, totals.total_amount) == (
        Decimal("1150.50"),
        Decimal("207.09"),
        Decimal("50.00"),
        Decimal("0.00"),
        Decimal("1407.59"),
    )
    assert (order.status, order.user_id, order.source_cart_id, order.order_number) == (
        OrderStatus.PLACED,
        ALICE,
        cart_id,
        "ORD-20260120-0001",
    )
    assert order.delivery_instructions == "ring twice"
    assert order.estimated_delivery_date.date() == (clock.now() + timedelta(days=5)).date()
    assert order.id is not None and uow.orders.orders[order.id].totals == totals


async def test_placing_takes_the_stock_and_empties_the_cart(uow: OrdersUnitOfWork, clock: FakeClock) -> None:
    cart_id = await _cart(uow, clock, ("prod_001", 2), ("prod_009", 3))
    address_id = await _address(uow, clock)

    await _place(uow, clock)(ALICE, PlaceOrderCommand(cart_id, address_id))

    assert (_stock(uow, "prod_001"), _stock(uow, "prod_009")) == (98, 0)
    assert uow.carts.books[ALICE].carts == []


async def test_stock_rows_are_locked_in_store_and_product_order_not_the_carts(
    uow: OrdersUnitOfWork, clock: FakeClock
) -> None:
    cart_id = await _cart(uow, clock, ("prod_009", 1), ("prod_001", 1), ("prod_003", 1))
    address_id = await _address(uow, clock)

    await _place(uow, clock)(ALICE, PlaceOrderCommand(cart_id, address_id))

    assert uow.orders.stock_locks == [("store_123", "prod_001"), ("store_123", "prod_003"), ("store_123", "prod_009")]


async def test_a_short_product_refuses_the_order_and_takes_nothing(uow: OrdersUnitOfWork, clock: FakeClock) -> None:
    cart_id = await _cart(uow, clock, ("prod_001", 2), ("prod_009", 3))
    address_id = await _address(uow, clock)
    key = ("store_123", "prod_009")
    uow.catalog.products[key] = replace(uow.catalog.products[key], stock=2)  # sold elsewhere meanwhile

    with pytest.raises(OutOfStock):
        await _place(uow, clock)(ALICE, PlaceOrderCommand(cart_id, address_id))

    assert (_stock(uow, "prod_001"), _stock(uow, "prod_009")) == (100, 2)  # prod_001 was taken, then rolled back
    assert uow.orders.orders == {}
    assert [cart.id for cart in uow.carts.books[ALICE].carts] == [cart_id]


async def test_a_coupon_takes_its_discount_and_is_redeemed_once_per_user(
    uow: OrdersUnitOfWork, clock: FakeClock
) -> None:
    address_id = await _address(uow, clock)
    cart_id = await _cart(uow, clock, ("prod_001", 2))

    order = await _place(uow, clock)(ALICE, PlaceOrderCommand(cart_id, address_id, coupon_code=" save10 "))

    assert (order.coupon_code, order.totals.discount_amount, order.totals.total_amount) == (
        "SAVE10",
        Decimal("100.00"),
        Decimal("1130.00"),  # 1000 + 180 tax (on the subtotal before discount) + 50 - 100
    )
    assert [(r.code, r.user_id, r.order_id) for r in uow.orders.redemptions] == [("SAVE10", ALICE, order.id)]

    second_cart = await _cart(uow, clock, ("prod_003", 1))
    with pytest.raises(CouponRejected) as refused:
        await _place(uow, clock)(ALICE, PlaceOrderCommand(second_cart, address_id, coupon_code="SAVE10"))
    assert refused.value.reason is CouponRejection.USER_LIMIT_REACHED
    assert len(uow.orders.orders) == 1 and len(uow.orders.redemptions) == 1
    assert [cart.id for cart in uow.carts.books[ALICE].carts] == [second_cart]


async def test_an_unknown_coupon_creates_nothing_and_takes_no_stock(uow: OrdersUnitOfWork, clock: FakeClock) -> None:
    cart_id = await _cart(uow, clock, ("prod_009", 1))
    address_id = await _address(uow, clock)

    with pytest.raises(CouponRejected) as refused:
        await _place(uow, clock)(ALICE, PlaceOrderCommand(cart_id, address_id, coupon_code="NOPE"))

    assert refused.value.reason is CouponRejection.UNKNOWN
    assert (uow.orders.orders, _stock(uow, "prod_009"), uow.orders.day_sequences) == ({}, 3, {})


async def test_the_same_cart_twice_is_a_conflict_the_second_time(uow: OrdersUnitOfWork, clock: FakeClock) -> None:
    cart_id = await _cart(uow, clock, ("prod_009", 1))
    address_id = await _address(uow, clock)
    place = _place(uow, clock)
    await place(ALICE, PlaceOrderCommand(cart_id, address_id))

    with pytest.raises(CartAlreadyOrdered):
        await place(ALICE, PlaceOrderCommand(cart_id, address_id))

    assert len(uow.orders.orders) == 1 and _stock(uow, "prod_009") == 2


async def test_another_users_cart_or_address_is_not_found(uow: OrdersUnitOfWork, clock: FakeClock) -> None:
    alice_cart = await _cart(uow, clock, ("prod_001", 1))
    alice_address = await _address(uow, clock)
    bob_cart = await _cart(uow, clock, ("prod_001", 1), user=BOB)
    place = _place(uow, clock)

    with pytest.raises(CartNotFound):
        await place(BOB, PlaceOrderCommand(alice_cart, alice_address))
    with pytest.raises(AddressNotFound):
        await place(BOB, PlaceOrderCommand(bob_cart, alice_address))
    assert uow.orders.orders == {} and _stock(uow, "prod_001") == 100


async def test_an_empty_cart_is_refused(uow: OrdersUnitOfWork, clock: FakeClock) -> None:
    cart_id = await _cart(uow, clock, ("prod_001", 1))
    address_id = await _address(uow, clock)
    book = uow.carts.books[ALICE]
    book.carts[0].items.clear()

    with pytest.raises(EmptyCart):
        await _place(uow, clock)(ALICE, PlaceOrderCommand(cart_id, address_id))
    assert uow.orders.orders == {}


async def test_the_order_keeps_a_snapshot_of_the_address(uow: OrdersUnitOfWork, clock: FakeClock) -> None:
    cart_id = await _cart(uow, clock, ("prod_001", 1))
    address_id = await _address(uow, clock)
    order = await _place(uow, clock)(ALICE, PlaceOrderCommand(cart_id, address_id))

    await UpdateAddress(uow, clock)(ALICE, address_id, {"city": "Pune"})

    assert order.id is not None
    assert uow.orders.orders[order.id].shipping_address["city"] == "Mumbai"
    assert uow.addresses.books[ALICE].addresses[0].city == "Pune"


async def test_order_numbers_follow_the_days_sequence(uow: OrdersUnitOfWork, clock: FakeClock) -> None:
    address_id = await _address(uow, clock)
    place = _place(uow, clock)
    first = await place(ALICE, PlaceOrderCommand(await _cart(uow, clock, ("prod_001", 1)), address_id))
    second = await place(ALICE, PlaceOrderCommand(await _cart(uow, clock, ("prod_001", 1)), address_id))
    assert (first.order_number, second.order_number) == ("ORD-20260120-0001", "ORD-20260120-0002")
