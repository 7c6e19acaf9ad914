from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.queries import GetStoreCart, ListCarts
from s2cart.application.carts.views import CartItemView
from s2cart.application.ports.carts import LineMerge
from s2cart.domain.carts.errors import CartLimitExceeded
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.errors import OutOfStock, ProductNotFound, UnknownStore
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import ValidationFailed
from tests.fakes import FakeCartReader, FakeClock, FakeUnitOfWork

ALICE, BOB = 1, 2  # the users FakeCartBooks knows


def _add(uow: FakeUnitOfWork, clock: FakeClock, max_quantity: int = 99) -> AddItemToCart:
    return AddItemToCart(uow, clock, max_quantity)


async def test_adding_opens_the_cart_with_catalog_price_name_and_image(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    line = await _add(uow, clock)(ALICE, AddItemToCartCommand("store_123", "prod_001", quantity=2))

    assert (line.product_name, line.unit_price, line.total_price) == (
        "Wireless Headphones",
        Decimal("500.00"),
        Decimal("1000.00"),
    )
    assert line.product_image_url == "https://x.test/1.jpg"
    assert line.added_at == clock.now()
    cart = await GetStoreCart(FakeCartReader(uow.carts))(ALICE, "store_123")
    assert (cart.store_name, cart.item_count, cart.total_price, cart.items[0].id) == (
        "SuperMart",
        2,
        Decimal("1000.00"),
        line.id,
    )


async def test_the_contract_example_cart_totals_1250_50(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    add = _add(uow, clock)
    await add(ALICE, AddItemToCartCommand("store_123", "prod_001", quantity=2))
    await add(ALICE, AddItemToCartCommand("store_123", "prod_003"))
    [cart] = await ListCarts(FakeCartReader(uow.carts))(ALICE)
    assert (cart.total_price, cart.item_count, cart.applied_coupon, cart.coupon_discount) == (
        Decimal("1250.50"),
        3,
        None,
        Decimal("0.00"),
    )


async def test_adding_again_merges_and_takes_the_new_catalog_price(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    add = _add(uow, clock)
    first = await add(ALICE, AddItemToCartCommand("store_123", "prod_001", variant={"color": "Black"}))
    key = ("store_123", "prod_001")
    uow.catalog.products[key] = replace(uow.catalog.products[key], price=Decimal("450.00"))
    clock.advance(minutes=5)
    again = await add(ALICE, AddItemToCartCommand("store_123", "prod_001", quantity=2, variant={"color": "Black"}))

    assert again.id == first.id
    assert (again.quantity, again.unit_price, again.total_price) == (3, Decimal("450.00"), Decimal("1350.00"))
    assert again.added_at == first.added_at
    [cart] = await ListCarts(FakeCartReader(uow.carts))(ALICE)
    assert len(cart.items) == 1


async def test_unknown_store_is_cart_002_and_opens_nothing(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(UnknownStore) as caught:
        await _add(uow, clock)(ALICE, AddItemToCartCommand("store_999", "prod_001"))
    assert caught.value.code == "CART_002"
    assert await ListCarts(FakeCartReader(uow.carts))(ALICE) == []


async def test_a_product_of_another_store_is_not_found(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(ProductNotFound):
        await _add(uow, clock)(ALICE, AddItemToCartCommand("store_456", "prod_001"))
    assert await ListCarts(FakeCartReader(uow.carts))(ALICE) == []


async def test_not_enough_stock_is_cart_003_and_keeps_the_line(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    add = _add(uow, clock)
    await add(ALICE, AddItemToCartCommand("store_123", "prod_009", quantity=2))
    with pytest.raises(OutOfStock) as caught:
        await add(ALICE, AddItemToCartCommand("store_123", "prod_009", quantity=2))
    assert caught.value.code == "CART_003"
    cart = await GetStoreCart(FakeCartReader(uow.carts))(ALICE, "store_123")
    assert cart.items[0].quantity == 2


@pytest.mark.parametrize("quantity", [0, -3, 11])
async def test_quantity_outside_1_to_the_configured_maximum_is_refused(
    uow: FakeUnitOfWork, clock: FakeClock, quantity: int
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await _add(uow, clock, max_quantity=10)(ALICE, AddItemToCartCommand("store_123", "prod_001", quantity))
    assert "quantity" in caught.value.errors
    assert await ListCarts(FakeCartReader(uow.carts))(ALICE) == []


async def test_a_sixth_store_is_cart_001(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    for n in range(6):
        store = Store(f"s{n}", f"Store {n}")
        uow.catalog.stores[store.id] = store
        uow.catalog.products[(store.id, "p")] = Product(store.id, "p", "P", Decimal("1.00"))
    add = _add(uow, clock)
    for n in range(5):
        await add(ALICE, AddItemToCartCommand(f"s{n}", "p"))
    with pytest.raises(CartLimitExceeded):
        await add(ALICE, AddItemToCartCommand("s5", "p"))
    assert len(await ListCarts(FakeCartReader(uow.carts))(ALICE)) == 5
    await add(BOB, AddItemToCartCommand("s5", "p"))  # the limit is per user


async def test_a_bad_variant_is_refused_before_anything_is_read(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await _add(uow, clock)(
            ALICE,
            AddItemToCartCommand("store_999", "prod_001", variant={"color": 3}),  # type: ignore[dict-item]
        )
    assert "product_variant" in caught.value.errors


class _Merge:
    """A CartLineMerge that answers as told and keeps what it was asked."""

    def __init__(self, answer: CartItemView | None) -> None:
        self.answer = answer
        self.asked: list[LineMerge] = []

    async def merge(self, request: LineMerge) -> CartItemView | None:
        self.asked.append(request)
        return self.answer


async def test_a_merge_that_applies_is_the_answer_and_opens_no_unit_of_work(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    merged = CartItemView.line(
        id=7,
        product_id="prod_001",
        product_name="Wireless Headphones",
        product_image_url=None,
        product_variant={"color": "Black"},
        quantity=3,
        unit_price=Decimal("500.00"),
        added_at=clock.now(),
    )
    merge = _Merge(merged)
    add = AddItemToCart(uow, clock, 10, merge=merge)

    line = await add(ALICE, AddItemToCartCommand("store_123", "prod_001", 2, {"color": "Black"}))

    assert line is merged
    black = Variant.of({"color": "Black"})
    assert merge.asked == [LineMerge(ALICE, "store_123", "prod_001", black, 2, 10, clock.now())]
    assert await ListCarts(FakeCartReader(uow.carts))(ALICE) == []  # the domain's path never ran


async def test_a_merge_that_does_not_apply_leaves_it_to_the_domain(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    merge = _Merge(None)
    add = AddItemToCart(uow, clock, merge=merge)

    line = await add(ALICE, AddItemToCartCommand("store_123", "prod_001", 2))
    with pytest.raises(UnknownStore):
        await add(ALICE, AddItemToCartCommand("store_999", "prod_001"))
    with pytest.raises(ValidationFailed):
        await add(ALICE, AddItemToCartCommand("store_123", "prod_001", 0))

    assert (line.quantity, len(merge.asked)) == (2, 2)  # a refused quantity is refused before the merge is asked
    [cart] = await ListCarts(FakeCartReader(uow.carts))(ALICE)
    assert cart.items[0].id == line.id
