"""The cart rules under concurrent requests: each call is its own unit of work (own connection)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from sqlalchemy import select

from s2cart.adapters.persistence.tables.carts import cart_items, carts
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.carts.update_cart_item import UpdateCartItem, UpdateCartItemCommand
from s2cart.domain.carts.errors import CartLimitExceeded
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
    add = AddItemToCart(db.uow, db.clock)
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
    add = AddItemToCart(db.uow, db.clock)

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
