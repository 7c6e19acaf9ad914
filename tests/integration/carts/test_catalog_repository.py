from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from s2cart.adapters.persistence.tables.catalog import products
from s2cart.application.catalog.catalog_document import CatalogDocument
from s2cart.application.catalog.load_catalog import LoadCatalog
from s2cart.domain.catalog.coupon import Coupon, CouponKind
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from tests.integration.carts.conftest import HEADPHONES, SUPERMART, TECHMART, Db


async def test_products_round_trip_exactly(db: Db) -> None:
    async with db.uow() as uow:
        assert await uow.catalog.product("store_123", "prod_001") == HEADPHONES
        assert await uow.catalog.store("store_456") == Store("store_456", "TechMart")
        assert await uow.catalog.product("store_456", "prod_001") is None
        assert await uow.catalog.store("nope") is None
        assert await uow.catalog.existing_store_ids({"store_123", "nope"}) == {"store_123"}


async def test_store_with_product_tells_an_unknown_store_from_a_product_it_does_not_sell(db: Db) -> None:
    async with db.uow() as uow:
        assert await uow.catalog.store_with_product("store_123", "prod_001") == (SUPERMART, HEADPHONES)
        assert await uow.catalog.store_with_product("store_456", "prod_001") == (TECHMART, None)
        assert await uow.catalog.store_with_product("nope", "prod_001") == (None, None)


async def test_coupons_round_trip_with_their_limits_and_window(db: Db) -> None:
    coupon = Coupon(
        "WINDOW",
        CouponKind.PERCENT,
        Decimal("12.50"),
        min_subtotal=Decimal("200.00"),
        max_discount=Decimal("75.00"),
        valid_from=datetime(2026, 1, 1, tzinfo=UTC),
        valid_until=datetime(2026, 2, 1, tzinfo=UTC),
        usage_limit=100,
        per_user_limit=1,
        active=False,
    )
    await LoadCatalog(db.uow)(CatalogDocument(coupons=(coupon,)))
    async with db.uow() as uow:
        assert await uow.catalog.coupon("window") == coupon


async def test_an_upsert_overwrites_and_adds(db: Db) -> None:
    await db.load(
        [Store("store_123", "SuperMart Express")],
        [
            Product("store_123", "prod_001", "Headphones II", Decimal("450.00"), None),
            Product("store_123", "prod_new", "New", Decimal("1.00")),
        ],
    )
    async with db.uow() as uow:
        product = await uow.catalog.product("store_123", "prod_001")
        store = await uow.catalog.store("store_123")
        assert await uow.catalog.product("store_123", "prod_new") is not None
    assert product == Product("store_123", "prod_001", "Headphones II", Decimal("450.00"), None)
    assert store == Store("store_123", "SuperMart Express")


async def test_the_tables_refuse_negative_stock(db: Db) -> None:
    with pytest.raises(IntegrityError):
        async with db.engine.begin() as connection:
            await connection.execute(update(products).values(stock=-1).where(products.c.id == "prod_009"))
