from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.queries import GetStoreCart
from s2cart.application.carts.remove_cart_item import RemoveCartItem
from s2cart.application.carts.update_cart_item import UpdateCartItem, UpdateCartItemCommand
from s2cart.application.carts.views import CartItemView, CartView
from s2cart.domain.carts.errors import CartItemNotFound
from s2cart.domain.catalog.errors import OutOfStock
from s2cart.domain.shared.errors import NotFound, ValidationFailed
from tests.fakes import FakeCartReader, FakeClock, FakeUnitOfWork

ALICE, BOB = 1, 2  # the users FakeCartBooks knows


async def _line(uow: FakeUnitOfWork, clock: FakeClock, product_id: str = "prod_001", **kw: object) -> CartItemView:
    return await AddItemToCart(uow, clock)(ALICE, AddItemToCartCommand("store_123", product_id, **kw))  # type: ignore[arg-type]


async def _cart(uow: FakeUnitOfWork) -> CartView:
    return await GetStoreCart(FakeCartReader(uow.carts))(ALICE, "store_123")


async def test_updating_the_quantity_reprices_from_the_catalog(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    line = await _line(uow, clock)
    key = ("store_123", "prod_001")
    uow.catalog.products[key] = replace(uow.catalog.products[key], price=Decimal("480.00"))

    updated = await UpdateCartItem(uow, clock)(ALICE, UpdateCartItemCommand(line.id, quantity=3))

    assert (updated.id, updated.quantity, updated.total_price) == (line.id, 3, Decimal("1440.00"))
    assert (await _cart(uow)).total_price == Decimal("1440.00")


async def test_a_quantity_past_the_stock_is_cart_003_and_changes_nothing(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    line = await _line(uow, clock, "prod_009")
    with pytest.raises(OutOfStock):
        await UpdateCartItem(uow, clock)(ALICE, UpdateCartItemCommand(line.id, quantity=4))
    assert (await _cart(uow)).items[0].quantity == 1


@pytest.mark.parametrize("quantity", [0, -1, 100])
async def test_zero_or_too_many_is_a_validation_error(uow: FakeUnitOfWork, clock: FakeClock, quantity: int) -> None:
    line = await _line(uow, clock)
    with pytest.raises(ValidationFailed) as caught:
        await UpdateCartItem(uow, clock)(ALICE, UpdateCartItemCommand(line.id, quantity=quantity))
    assert "quantity" in caught.value.errors


async def test_changing_the_variant_onto_an_existing_line_merges(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    black = await _line(uow, clock, quantity=2, variant={"color": "Black"})
    plain = await _line(uow, clock)

    merged = await UpdateCartItem(uow, clock)(ALICE, UpdateCartItemCommand(plain.id, variant={"color": "Black"}))

    assert (merged.id, merged.quantity, merged.product_variant) == (plain.id, 3, {"color": "Black"})
    assert [item.id for item in (await _cart(uow)).items] == [plain.id]
    assert black.id != plain.id


async def test_an_empty_variant_clears_it_and_no_change_returns_the_line(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    line = await _line(uow, clock, variant={"color": "Black"})
    update = UpdateCartItem(uow, clock)
    assert (await update(ALICE, UpdateCartItemCommand(line.id))).product_variant == {"color": "Black"}
    assert (await update(ALICE, UpdateCartItemCommand(line.id, variant={}))).product_variant is None


async def test_another_users_item_is_not_found_and_untouched(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    line = await _line(uow, clock)
    with pytest.raises(CartItemNotFound) as theirs:
        await UpdateCartItem(uow, clock)(BOB, UpdateCartItemCommand(line.id, quantity=5))
    with pytest.raises(CartItemNotFound) as missing:
        await UpdateCartItem(uow, clock)(BOB, UpdateCartItemCommand(10_000, quantity=5))
    with pytest.raises(NotFound):
        await RemoveCartItem(uow, clock)(BOB, line.id)
    assert (theirs.value.code, theirs.value.message) == (missing.value.code, missing.value.message)
    assert (await _cart(uow)).items[0].quantity == 1


async def test_removing_a_line_keeps_the_empty_cart(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    line = await _line(uow, clock)
    await RemoveCartItem(uow, clock)(ALICE, line.id)
    cart = await _cart(uow)
    assert (cart.items, cart.total_price, cart.item_count) == ((), Decimal("0.00"), 0)
    with pytest.raises(CartItemNotFound):
        await RemoveCartItem(uow, clock)(ALICE, line.id)
