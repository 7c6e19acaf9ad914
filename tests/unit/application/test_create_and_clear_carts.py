from __future__ import annotations

from decimal import Decimal

import pytest

from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.clear_carts import ClearCarts
from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.carts.queries import GetStoreCart, ListCarts
from s2cart.domain.carts.errors import CartLimitExceeded, CartNotFound
from s2cart.domain.catalog.errors import UnknownStore
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import NotFound
from tests.fakes import FakeCartReader, FakeClock, FakeUnitOfWork

ALICE, BOB = 1, 2  # the users FakeCartBooks knows


async def test_creating_a_cart_uses_the_catalog_store_name(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    result = await CreateCart(uow, clock)(ALICE, "store_456")
    assert result.created
    assert (result.cart.store_id, result.cart.store_name, result.cart.items) == ("store_456", "TechMart", ())
    assert (result.cart.total_price, result.cart.item_count) == (Decimal("0.00"), 0)
    assert [c.id for c in await ListCarts(FakeCartReader(uow.carts))(ALICE)] == [result.cart.id]


async def test_creating_an_existing_cart_returns_it(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    await AddItemToCart(uow, clock)(ALICE, AddItemToCartCommand("store_123", "prod_001"))
    result = await CreateCart(uow, clock)(ALICE, "store_123")
    assert not result.created
    assert result.cart.item_count == 1
    assert len(await ListCarts(FakeCartReader(uow.carts))(ALICE)) == 1


async def test_creating_for_an_unknown_store_is_cart_002(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(UnknownStore):
        await CreateCart(uow, clock)(ALICE, "store_999")
    assert await ListCarts(FakeCartReader(uow.carts))(ALICE) == []


async def test_a_sixth_cart_is_refused_until_one_is_cleared(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    for n in range(6):
        uow.catalog.stores[f"s{n}"] = Store(f"s{n}", f"Store {n}")
    create = CreateCart(uow, clock)
    for n in range(5):
        await create(ALICE, f"s{n}")
    with pytest.raises(CartLimitExceeded):
        await create(ALICE, "s5")

    cleared = await ClearCarts(uow)(ALICE, "s0")

    assert cleared.carts_cleared == 1
    assert (await create(ALICE, "s5")).created
    assert sorted(c.store_id for c in await ListCarts(FakeCartReader(uow.carts))(ALICE)) == [
        "s1",
        "s2",
        "s3",
        "s4",
        "s5",
    ]


async def test_clearing_everything_leaves_other_users_alone(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    add = AddItemToCart(uow, clock)
    await add(ALICE, AddItemToCartCommand("store_123", "prod_001", quantity=2))
    await add(ALICE, AddItemToCartCommand("store_456", "prod_002"))
    await add(BOB, AddItemToCartCommand("store_456", "prod_002"))

    result = await ClearCarts(uow)(ALICE)

    assert (result.carts_cleared, result.items_removed) == (2, 2)
    reader = FakeCartReader(uow.carts)
    assert await ListCarts(reader)(ALICE) == []
    assert len(await ListCarts(reader)(BOB)) == 1
    assert (await ClearCarts(uow)(ALICE, "store_123")).carts_cleared == 0  # a retry is harmless


async def test_a_store_without_a_cart_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(CartNotFound):
        await GetStoreCart(FakeCartReader(uow.carts))(ALICE, "store_123")


async def test_an_unknown_user_is_not_found(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(NotFound):
        await CreateCart(uow, clock)(999, "store_123")
