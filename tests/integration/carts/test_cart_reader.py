from __future__ import annotations

from datetime import UTC
from decimal import Decimal
from typing import Any

from sqlalchemy import event

from s2cart.adapters.persistence.engine import make_engine
from s2cart.adapters.persistence.readers.carts import SqlAlchemyCartReader
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.cart_coupon import ApplyCartCoupon
from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.catalog.catalog_document import CatalogDocument
from s2cart.application.catalog.load_catalog import LoadCatalog
from s2cart.domain.catalog.coupon import Coupon, CouponKind
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from tests.integration.carts.conftest import Db


async def test_carts_come_with_lines_totals_and_the_contract_fields(db: Db) -> None:
    alice = await db.add_user("alice")
    add = AddItemToCart(db.uow, db.clock)
    await add(alice, AddItemToCartCommand("store_123", "prod_001", 2))
    await add(alice, AddItemToCartCommand("store_123", "prod_003", 1, {"length": "2m"}))
    await CreateCart(db.uow, db.clock)(alice, "store_456")

    supermart, techmart = await db.reader().carts_of(alice)

    assert (supermart.store_name, supermart.total_price, supermart.item_count) == (
        "SuperMart",
        Decimal("1250.50"),
        3,
    )
    assert (supermart.applied_coupon, supermart.coupon_discount) == (None, Decimal("0.00"))
    headphones, cable = supermart.items
    assert (headphones.product_id, headphones.total_price, headphones.product_variant) == (
        "prod_001",
        Decimal("1000.00"),
        None,
    )
    assert (cable.product_variant, cable.unit_price) == ({"length": "2m"}, Decimal("250.50"))
    assert (techmart.store_id, techmart.items, techmart.total_price) == ("store_456", (), Decimal("0.00"))
    only = await db.reader().cart_for_store(alice, "store_456")
    assert only is not None
    assert only.id == techmart.id


async def test_listing_takes_one_statement_however_many_carts_and_lines(db: Db) -> None:
    small, big = await db.add_user("small"), await db.add_user("big")
    stores = [Store(f"bulk_{n}", f"Bulk {n}") for n in range(5)]
    await db.load(stores, [Product(s.id, f"p{i}", f"Product {i}", Decimal("1.25")) for s in stores for i in range(20)])
    add = AddItemToCart(db.uow, db.clock)
    await add(small, AddItemToCartCommand("bulk_0", "p0"))
    for store in stores:
        for i in range(20):
            await add(big, AddItemToCartCommand(store.id, f"p{i}"))
    reader = db.reader()

    counted = db.count_statements()
    one = await reader.carts_of(small)
    after_small = counted()
    many = await reader.carts_of(big)
    after_big = counted()

    assert (len(one), sum(len(c.items) for c in one)) == (1, 1)
    assert (len(many), sum(len(c.items) for c in many)) == (5, 100)
    assert after_small == after_big - after_small == 1
    assert all(c.total_price == Decimal("25.00") for c in many)


async def test_a_held_coupon_is_read_in_the_same_statement_and_priced_as_of_now(db: Db) -> None:
    alice = await db.add_user("alice")
    welcome = Coupon(
        "WELCOME20", CouponKind.PERCENT, Decimal("20"), min_subtotal=Decimal("500.00"), valid_until=db.clock.now()
    )
    await LoadCatalog(db.uow)(CatalogDocument(coupons=(welcome,)))
    db.clock.advance(hours=-1)
    await AddItemToCart(db.uow, db.clock)(alice, AddItemToCartCommand("store_123", "prod_001", 2))
    held = await ApplyCartCoupon(db.uow, db.clock)(alice, "store_123", "welcome20")
    assert (held.applied_coupon, held.coupon_discount) == ("WELCOME20", Decimal("200.00"))
    reader = SqlAlchemyCartReader(db.engine, db.clock)

    counted = db.count_statements()
    [cart] = await reader.carts_of(alice)
    assert counted() == 1
    assert (cart.applied_coupon, cart.coupon_discount) == ("WELCOME20", Decimal("200.00"))

    db.clock.advance(hours=1)  # the coupon's end: the code stays on the cart, the discount is gone
    [cart] = await reader.carts_of(alice)
    assert (cart.applied_coupon, cart.coupon_discount) == ("WELCOME20", Decimal("0"))


async def test_times_come_back_in_utc_whichever_path_read_them(db: Db) -> None:
    """On PostgreSQL the rows come from the raw driver, which hands timestamptz back in the session's zone;
    the views carry UTC, as the Core path's UtcDateTime does (decision 0041)."""
    alice = await db.add_user("alice")
    await AddItemToCart(db.uow, db.clock)(alice, AddItemToCartCommand("store_123", "prod_001", 2))
    engine = make_engine(db.engine.url.render_as_string(hide_password=False), pool_size=1)
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine.sync_engine, "connect")
        def _elsewhere(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("SET TIME ZONE 'Asia/Kolkata'")
            cursor.close()
            dbapi_connection.commit()

    try:
        (cart,) = await SqlAlchemyCartReader(engine, db.clock).carts_of(alice)
    finally:
        await engine.dispose()

    assert cart.updated_at == db.clock.now()
    assert cart.updated_at.tzinfo is UTC
    assert [item.added_at.tzinfo for item in cart.items] == [UTC]
