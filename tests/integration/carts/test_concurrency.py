"""The cart rules under concurrent requests: each call is its own unit of work (own connection). Adds are wired as
the container wires them: on PostgreSQL a merge into an existing line takes the driver pool's one round trip
(decision 0048), everything else the unit of work."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from sqlalchemy import select

from s2cart.adapters.persistence.tables.carts import cart_items, carts
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.carts.update_cart_item import UpdateCartItem, UpdateCartItemCommand
from s2cart.application.carts.views import CartItemView
from s2cart.application.ports.carts import LineMerge
from s2cart.domain.carts.errors import CartLimitExceeded
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.errors import OutOfStock
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from tests.integration.carts.conftest import Db


async def test_twenty_parallel_creations_for_different_stores_leave_exactly_five_carts(db: Db) -> None:
    alice = await db.add_user("alice")
    await db.load([Store(f"race_{n}", f"Race {n}") for n in range(20)], [])
    create = CreateCart(db.uow, db.clock)

    outcomes = await asyncio.gather(*(create(alice, f"race_{n}") for n in range(20)), return_exceptions=True)

    created = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, CartLimitExceeded)]
    assert (len(created), len(refused)) == (5, 15), [type(o).__name__ for o in outcomes]
    async with db.engine.connect() as connection:
        rows = (await connection.execute(select(carts.c.store_id, carts.c.slot))).all()
    assert len(rows) == 5
    assert sorted(slot for _, slot in rows) == [1, 2, 3, 4, 5]
    assert {store for store, _ in rows} == {o.cart.store_id for o in created}


async def test_ten_parallel_adds_of_one_product_leave_one_line_with_the_sum(db: Db) -> None:
    alice = await db.add_user("alice")
    add = AddItemToCart(db.uow, db.clock, merge=db.merge)
    command = AddItemToCartCommand("store_123", "prod_001", variant={"color": "Black"})

    outcomes = await asyncio.gather(*(add(alice, command) for _ in range(10)), return_exceptions=True)

    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    async with db.engine.connect() as connection:
        rows = (await connection.execute(select(cart_items.c.quantity))).all()
        cart_count = len((await connection.execute(select(carts.c.id))).all())
    assert (cart_count, [row.quantity for row in rows]) == (1, [10])


async def test_parallel_adds_never_oversell_the_stock_a_cart_may_hold(db: Db) -> None:
    alice = await db.add_user("alice")
    await db.load([], [Product("store_123", "prod_005", "Five Left", Decimal("10.00"), stock=5)])
    add = AddItemToCart(db.uow, db.clock, merge=db.merge)

    outcomes = await asyncio.gather(
        *(add(alice, AddItemToCartCommand("store_123", "prod_005", 2)) for _ in range(6)),
        return_exceptions=True,
    )

    assert sum(1 for o in outcomes if not isinstance(o, BaseException)) == 2
    [cart] = await db.reader().carts_of(alice)
    assert cart.items[0].quantity == 4


async def test_more_parallel_users_than_pooled_connections_all_finish(db: Db) -> None:
    """A change holds one connection from lock to commit and asks for no second one, so a full pool
    cannot deadlock (the fixture's pool has 25 connections; 30 users change their carts at once)."""
    people = [await db.add_user(f"user{n}") for n in range(30)]
    add = AddItemToCart(db.uow, db.clock)
    lines = [await add(person, AddItemToCartCommand("store_123", "prod_003")) for person in people]
    update = UpdateCartItem(db.uow, db.clock)

    await asyncio.wait_for(
        asyncio.gather(
            *(
                update(person, UpdateCartItemCommand(line.id, quantity=5))
                for person, line in zip(people, lines, strict=True)
            )
        ),
        timeout=25,  # under the pool's own 30 s timeout: a starved pool fails here, not there
    )

    async with db.engine.connect() as connection:
        quantities = (await connection.execute(select(cart_items.c.quantity))).scalars().all()
    assert quantities == [5] * 30


class _CountedMerge:
    """The driver pool's merge, counting the adds it took (the rest went the unit of work's way)."""

    def __init__(self, db: Db) -> None:
        merge = db.merge
        assert merge is not None
        self._merge = merge
        self.merged = 0

    async def merge(self, request: LineMerge) -> CartItemView | None:
        line = await self._merge.merge(request)
        self.merged += line is not None
        return line


def _only_postgresql(db: Db) -> None:
    if db.merge is None:
        pytest.skip("the one-round-trip merge is PostgreSQL's (SQLite's adds all take the unit of work)")


async def test_merges_racing_the_domains_adds_of_the_same_line_lose_no_unit(db: Db) -> None:
    """The domain's path writes the line's quantity it computed from the book it read under the user's lock; a merge
    that did not hold the same lock could be overwritten by it. 15 merges race 15 adds forced down the domain's path
    (the same line) and 6 adds of new variants (new lines, on the domain's path too): every unit is there."""
    _only_postgresql(db)
    alice = await db.add_user("alice")
    black = AddItemToCartCommand("store_123", "prod_001", variant={"color": "Black"})
    await AddItemToCart(db.uow, db.clock)(alice, black)
    counted = _CountedMerge(db)
    fast = AddItemToCart(db.uow, db.clock, merge=counted)  # type: ignore[arg-type]
    domain = AddItemToCart(db.uow, db.clock)

    outcomes = await asyncio.gather(
        *(fast(alice, black) for _ in range(15)),
        *(domain(alice, black) for _ in range(15)),
        *(domain(alice, AddItemToCartCommand("store_123", "prod_001", 2, {"size": str(n)})) for n in range(6)),
        return_exceptions=True,
    )

    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert counted.merged > 0  # the race was run: some adds did take the merge
    [cart] = await db.reader().carts_of(alice)
    by_variant = {Variant.of(item.product_variant).key: item.quantity for item in cart.items}
    assert by_variant.pop(Variant.of({"color": "Black"}).key) == 31
    assert sorted(by_variant.values()) == [2] * 6


async def test_merges_racing_new_variants_never_oversell_the_product(db: Db) -> None:
    """Stock counts a product's units across its variants. Merges into one line race adds of new variant lines (the
    domain's path): 24 adds of 1 unit against 10 in stock end with exactly 10 units, the rest refused CART_003."""
    _only_postgresql(db)
    alice = await db.add_user("alice")
    await db.load([], [Product("store_123", "prod_010", "Ten Left", Decimal("10.00"), stock=10)])
    plain = AddItemToCartCommand("store_123", "prod_010")
    await AddItemToCart(db.uow, db.clock)(alice, plain)
    counted = _CountedMerge(db)
    add = AddItemToCart(db.uow, db.clock, merge=counted)  # type: ignore[arg-type]

    outcomes = await asyncio.gather(
        *(add(alice, plain) for _ in range(12)),
        *(add(alice, AddItemToCartCommand("store_123", "prod_010", 1, {"size": str(n)})) for n in range(12)),
        return_exceptions=True,
    )

    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(o, OutOfStock) for o in refused), refused
    assert (len(outcomes) - len(refused), counted.merged > 0) == (9, True)
    [cart] = await db.reader().carts_of(alice)
    assert cart.item_count == 10
