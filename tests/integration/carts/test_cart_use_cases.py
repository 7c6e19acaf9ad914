"""The cart use cases over SQL: what they leave in the tables and what the reader then shows."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from s2cart.adapters.persistence.tables.carts import cart_items, carts
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.clear_carts import ClearCarts
from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.carts.remove_cart_item import RemoveCartItem
from s2cart.application.carts.update_cart_item import UpdateCartItem, UpdateCartItemCommand
from s2cart.application.errors import StorageUnavailable
from s2cart.domain.carts.errors import CartItemNotFound, CartLimitExceeded
from s2cart.domain.catalog.errors import OutOfStock, UnknownStore
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import NotFound
from tests.integration.carts.conftest import HEADPHONES, Db
from tests.integration.http.test_reads_without_ping import terminate_other_backends


async def _count(db: Db, table: object) -> int:
    async with db.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


def _add(db: Db) -> AddItemToCart:
    """As the container wires it: with the merge on PostgreSQL (decision 0048)."""
    return AddItemToCart(db.uow, db.clock, merge=db.merge)


async def test_an_added_line_is_stored_with_the_catalog_price(db: Db) -> None:
    alice = await db.add_user("alice")
    line = await _add(db)(alice, AddItemToCartCommand("store_123", "prod_001", quantity=2))

    async with db.engine.connect() as connection:
        row = (await connection.execute(select(cart_items))).one()
    assert (row.id, row.unit_price, row.product_name, row.quantity) == (
        line.id,
        Decimal("500.00"),
        "Wireless Headphones",
        2,
    )
    [cart] = await db.reader().carts_of(alice)
    assert (cart.store_name, cart.total_price, cart.item_count) == ("SuperMart", Decimal("1000.00"), 2)
    assert cart.items[0].added_at.tzinfo is not None


async def test_the_same_product_and_variant_is_one_row(db: Db) -> None:
    alice = await db.add_user("alice")
    add = _add(db)
    await add(alice, AddItemToCartCommand("store_123", "prod_001", variant={"color": "Black", "size": "M"}))
    await add(alice, AddItemToCartCommand("store_123", "prod_001", 2, {"size": "M", "color": "Black"}))
    await add(alice, AddItemToCartCommand("store_123", "prod_001", 1, {"color": "White"}))

    [cart] = await db.reader().carts_of(alice)
    assert [(i.product_variant, i.quantity) for i in cart.items] == [
        ({"color": "Black", "size": "M"}, 3),
        ({"color": "White"}, 1),
    ]
    assert await _count(db, cart_items) == 2


async def test_adding_to_an_existing_line_takes_a_fixed_handful_of_statements(db: Db) -> None:
    """PostgreSQL (decision 0048): the user's lock, then the line's conditional UPDATE with the cart's touch in the
    same statement, sent together on the driver pool. SQLite takes the unit of work: the user lock with the catalog's
    store and product (one statement), the book (carts and lines in one), the cart's and the line's UPDATEs (no
    data-modifying CTEs there; decision 0041)."""
    alice = await db.add_user("alice")
    add = _add(db)
    await add(alice, AddItemToCartCommand("store_123", "prod_001"))
    await add(alice, AddItemToCartCommand("store_123", "prod_003"))
    await add(alice, AddItemToCartCommand("store_456", "prod_002"))
    db.clock.advance(minutes=5)

    counted = db.count_statements()
    line = await add(alice, AddItemToCartCommand("store_123", "prod_001", 2))

    assert counted() == (2 if db.engine.dialect.name == "postgresql" else 4)
    supermart, techmart = await db.reader().carts_of(alice)
    # The stored times (the views leave out a cart's created_at and a line's updated_at, as the wire does).
    async with db.engine.connect() as connection:
        born = dict((await connection.execute(select(carts.c.id, carts.c.created_at))).all())
        touched = dict((await connection.execute(select(cart_items.c.id, cart_items.c.updated_at))).all())
    assert [(i.id, i.quantity, touched[i.id]) for i in supermart.items] == [
        (line.id, 3, db.clock.now()),
        (supermart.items[1].id, 1, born[supermart.id]),
    ]
    assert (supermart.updated_at, techmart.updated_at) == (db.clock.now(), born[techmart.id])


async def test_updates_reprice_from_a_reloaded_catalog_and_check_stock(db: Db) -> None:
    alice = await db.add_user("alice")
    line = await _add(db)(alice, AddItemToCartCommand("store_123", "prod_001"))
    scarce = await _add(db)(alice, AddItemToCartCommand("store_123", "prod_009"))
    await db.load([], [replace(HEADPHONES, price=Decimal("480.00"))])

    update = UpdateCartItem(db.uow, db.clock)
    updated = await update(alice, UpdateCartItemCommand(line.id, quantity=3))
    with pytest.raises(OutOfStock):
        await update(alice, UpdateCartItemCommand(scarce.id, quantity=4))

    assert (updated.unit_price, updated.total_price) == (Decimal("480.00"), Decimal("1440.00"))
    [cart] = await db.reader().carts_of(alice)
    assert [(i.quantity, i.unit_price) for i in cart.items] == [(3, Decimal("480.00")), (1, Decimal("99.99"))]
    assert cart.total_price == Decimal("1539.99")


async def test_moving_a_line_onto_an_existing_variant_deletes_the_absorbed_row(db: Db) -> None:
    alice = await db.add_user("alice")
    add = _add(db)
    black = await add(alice, AddItemToCartCommand("store_123", "prod_001", 2, {"color": "Black"}))
    plain = await add(alice, AddItemToCartCommand("store_123", "prod_001"))

    merged = await UpdateCartItem(db.uow, db.clock)(alice, UpdateCartItemCommand(plain.id, variant={"color": "Black"}))

    assert (merged.id, merged.quantity) == (plain.id, 3)
    async with db.engine.connect() as connection:
        ids = (await connection.execute(select(cart_items.c.id))).scalars().all()
    assert ids == [plain.id]
    assert black.id not in ids


async def test_removing_keeps_the_cart_and_clearing_drops_it(db: Db) -> None:
    alice, bob = await db.add_user("alice"), await db.add_user("bob")
    add = _add(db)
    line = await add(alice, AddItemToCartCommand("store_123", "prod_001"))
    await add(alice, AddItemToCartCommand("store_456", "prod_002"))
    await add(bob, AddItemToCartCommand("store_456", "prod_002"))

    await RemoveCartItem(db.uow, db.clock)(alice, line.id)
    assert [len(c.items) for c in await db.reader().carts_of(alice)] == [0, 1]

    result = await ClearCarts(db.uow)(alice, "store_456")
    assert (result.carts_cleared, result.items_removed) == (1, 1)
    assert [c.store_id for c in await db.reader().carts_of(alice)] == ["store_123"]

    await ClearCarts(db.uow)(alice)
    assert await db.reader().carts_of(alice) == []
    assert (await _count(db, carts), await _count(db, cart_items)) == (1, 1)  # bob's


async def test_create_returns_the_existing_cart_and_refuses_a_sixth(db: Db) -> None:
    alice = await db.add_user("alice")
    await db.load([Store(f"s{n}", f"Store {n}") for n in range(6)], [])
    create = CreateCart(db.uow, db.clock)
    first = await create(alice, "s0")
    again = await create(alice, "s0")
    for n in range(1, 5):
        await create(alice, f"s{n}")
    with pytest.raises(CartLimitExceeded):
        await create(alice, "s5")
    with pytest.raises(UnknownStore):
        await create(alice, "nowhere")

    assert (first.created, again.created, again.cart.id) == (True, False, first.cart.id)
    assert await _count(db, carts) == 5
    await ClearCarts(db.uow)(alice, "s3")
    assert (await create(alice, "s5")).created  # the freed slot is taken again


async def test_another_users_ids_are_not_found_and_change_nothing(db: Db) -> None:
    alice, bob = await db.add_user("alice"), await db.add_user("bob")
    line = await _add(db)(alice, AddItemToCartCommand("store_123", "prod_001"))

    for attempt in (
        UpdateCartItem(db.uow, db.clock)(bob, UpdateCartItemCommand(line.id, quantity=5)),
        RemoveCartItem(db.uow, db.clock)(bob, line.id),
    ):
        with pytest.raises(CartItemNotFound):
            await attempt
    assert (await ClearCarts(db.uow)(bob)).carts_cleared == 0
    assert await db.reader().cart_for_store(bob, "store_123") is None
    [cart] = await db.reader().carts_of(alice)
    assert cart.items[0].quantity == 1


async def test_a_refused_add_leaves_no_cart_behind(db: Db) -> None:
    alice = await db.add_user("alice")
    await db.load([Store("s9", "Nine")], [Product("s9", "gone", "Sold Out", Decimal("5.00"), stock=0)])
    with pytest.raises(OutOfStock):
        await _add(db)(alice, AddItemToCartCommand("s9", "gone"))
    assert await _count(db, carts) == 0


async def test_an_unknown_user_is_not_found(db: Db) -> None:
    with pytest.raises(NotFound):
        await _add(db)(424242, AddItemToCartCommand("store_123", "prod_001"))
    assert await _count(db, carts) == 0


async def test_a_merge_on_a_connection_the_server_dropped_is_a_503_and_not_run_again(db: Db) -> None:
    """A write may have committed before its connection went: the merge is not repeated (decision 0048). The pool
    then knows its older connections are suspect, so the next add runs on a fresh one."""
    if db.reads is None:
        pytest.skip("the merge and pg_terminate_backend are PostgreSQL's")
    alice = await db.add_user("alice")
    add = _add(db)
    await add(alice, AddItemToCartCommand("store_123", "prod_001"))
    await add(alice, AddItemToCartCommand("store_123", "prod_001"))  # merged: the driver pool holds a connection
    assert terminate_other_backends(db.engine.url.render_as_string(hide_password=False)) >= 1

    with pytest.raises(StorageUnavailable):
        await add(alice, AddItemToCartCommand("store_123", "prod_001"))
    line = await add(alice, AddItemToCartCommand("store_123", "prod_001"))

    assert line.quantity == 3
