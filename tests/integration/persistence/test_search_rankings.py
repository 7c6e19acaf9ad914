"""Kept search rankings (decision 0052) against the real databases: a page read by key is exactly the page the full
query gives; the catalog's version moves on with what search ranks or filters by and never with stock; another
process's change is seen by the next search; deep pages, stock filters and the typo fallback keep the full query."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.engine import make_engine, make_reads
from s2cart.adapters.persistence.readers.storefront import SqlAlchemyStorefrontReader
from s2cart.adapters.persistence.tables.catalog import catalog_version, products, stores
from s2cart.application.catalog.browse import ProductQuery, product_filter
from s2cart.application.catalog.search_rankings import RankedStorefront
from s2cart.domain.catalog.product import StockStatus
from s2cart.domain.shared.pagination import PageRequest

WORDS = ("Basmati", "Sona Masoori", "Brown", "Ponni", "Idli")


def _products() -> list[dict[str, Any]]:
    rows = []
    for n in range(160):
        word = WORDS[n % len(WORDS)]
        rows.append(
            {
                "store_id": f"store_{n % 3}",
                "id": f"prod_{n:03d}",
                # Names and prices repeat across stores, so the ties (name, store, id) decide many positions.
                "name": f"{word} Rice {(n % 4 + 1)} kg" if n % 9 else f"{word} Rice Premium",
                "price": Decimal(100 + (n * 37) % 50),
                "stock": n % 6,
                "description": "rice " * (n % 3) + "from the fields",
                "category": "Staples" if n % 2 else "Grains",
                "brand": f"Brand {n % 4}",
                "images": [],
                "active": n % 17 != 0,
            }
        )
    extra = {"description": None, "category": None, "brand": None, "images": [], "active": True}
    rows += [
        {**extra, "store_id": "store_0", "id": f"dal_{n}", "name": f"Toor Dal {n}", "price": Decimal(90), "stock": 3}
        for n in range(20)
    ]
    return rows


async def _engines(database_url: str, backend: str) -> tuple[AsyncEngine, Any]:
    engine = make_engine(database_url)
    return engine, (make_reads(database_url, pool_size=2) if backend == "postgresql" else engine)


@pytest.fixture
async def catalog(database_url: str, backend: str) -> AsyncIterator[tuple[AsyncEngine, Any]]:
    engine, reads = await _engines(database_url, backend)
    async with engine.begin() as connection:
        await connection.execute(
            insert(stores), [{"id": f"store_{n}", "name": f"Store {n}", "active": True} for n in range(3)]
        )
        await connection.execute(insert(products), _products())
    yield engine, reads
    if reads is not engine:
        await reads.dispose()
    await engine.dispose()


async def _version(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(catalog_version.c.version))).scalar_one())


def _found(**params: Any) -> Any:
    return product_filter(ProductQuery(**params))


QUERIES: list[dict[str, Any]] = [
    {"q": "rice"},
    {"q": "rice", "ordering": "price"},
    {"q": "rice", "ordering": "-price"},
    {"q": "rice", "ordering": "name"},
    {"q": "rice", "ordering": "-name"},
    {"q": "basmati rice"},
    {"q": "rice", "category": "staples", "min_price": "110", "max_price": "140"},
    {"q": "ric", "store_id": "store_1"},
    {},
    {"ordering": "-price", "brand": "brand 2"},
]
PAGES = [PageRequest(1, 20), PageRequest(2, 20), PageRequest(5, 20), PageRequest(3, 7), PageRequest(1, 100)]


async def test_a_page_read_by_key_is_the_full_querys_page(catalog: tuple[AsyncEngine, Any]) -> None:
    _, reads = catalog
    reader = SqlAlchemyStorefrontReader(reads)
    ranked = RankedStorefront(reader)
    for params in QUERIES:
        found = _found(**params)
        await ranked.products(PageRequest(1, 20), found)  # the ranking is read and kept
        for request in PAGES:
            expected = await reader.products(request, found)
            assert expected.items or request.page > 1, params
            hits = ranked.stats.hits
            got = await ranked.products(request, found)
            assert (got.total_count, list(got.items)) == (expected.total_count, list(expected.items)), (params, request)
            kept_all = expected.total_count <= 100 or request.offset + request.limit <= 100
            if kept_all and request.offset < expected.total_count:
                assert ranked.stats.hits == hits + 1, (params, request)  # by key, not by the full query
    assert ranked.stats.stale == 0
    assert ranked.entries == len(QUERIES) and 0 < ranked.bytes < 64 * 1024


async def test_deep_pages_and_stock_filters_keep_the_full_query(catalog: tuple[AsyncEngine, Any]) -> None:
    _, reads = catalog
    reader = SqlAlchemyStorefrontReader(reads)
    ranked = RankedStorefront(reader)
    found = _found(q="rice", ordering="name")
    await ranked.products(PageRequest(1, 20), found)
    for request, params in (
        (PageRequest(6, 20), {"q": "rice", "ordering": "name"}),
        (PageRequest(1, 20), {"q": "rice", "in_stock": True}),
    ):
        before = ranked.stats.bypassed
        got = await ranked.products(request, _found(**params))
        expected = await reader.products(request, _found(**params))
        assert got.items and list(got.items) == list(expected.items) and got.total_count == expected.total_count
        assert ranked.stats.bypassed == before + 1


async def test_the_version_moves_with_what_search_ranks_by_and_not_with_stock(
    catalog: tuple[AsyncEngine, Any], backend: str
) -> None:
    engine, _ = catalog
    one = (products.c.store_id == "store_1") & (products.c.id == "prod_001")
    start = await _version(engine)
    async with engine.begin() as connection:
        await connection.execute(update(products).where(one).values(stock=products.c.stock + 5))
    assert await _version(engine) == start  # checkout's stock updates leave it be
    changes: list[Any] = [
        update(products).where(one).values(name="Renamed Rice"),
        update(products).where(one).values(price=Decimal("1.00")),
        update(products).where(one).values(description="other words"),
        update(products).where(one).values(active=False),
        update(stores).where(stores.c.id == "store_2").values(active=False),
        insert(products).values(store_id="store_0", id="new_1", name="New Rice", price=Decimal(5), images=[]),
        products.delete().where(products.c.id == "new_1"),
    ]
    for change in changes:
        before = await _version(engine)
        async with engine.begin() as connection:
            await connection.execute(change)
        assert await _version(engine) > before, change
    if backend == "postgresql":  # many statements in one transaction: one write of the version row
        before = await _version(engine)
        async with engine.begin() as connection:
            for n in range(5):
                await connection.execute(update(products).where(products.c.id == f"prod_00{n}").values(price=9))
        assert await _version(engine) == before + 1
        async with engine.begin() as connection:
            await connection.execute(text("TRUNCATE products CASCADE"))
        assert await _version(engine) == before + 2


async def test_a_change_made_elsewhere_shows_in_the_next_search(
    catalog: tuple[AsyncEngine, Any], database_url: str, backend: str
) -> None:
    _, reads = catalog
    reader = SqlAlchemyStorefrontReader(reads)
    ranked = RankedStorefront(reader)
    found = _found(q="rice", ordering="price")
    first = await ranked.products(PageRequest(1, 20), found)
    last = (await reader.products(PageRequest(6, 20), found)).items[-1]
    assert last.id not in {item.id for item in first.items}
    elsewhere, elsewhere_reads = await _engines(database_url, backend)  # another process's connections
    try:
        async with elsewhere.begin() as connection:
            key = (products.c.store_id == last.store_id) & (products.c.id == last.id)
            await connection.execute(update(products).where(key).values(price=Decimal("1.00"), name="Cheapest Rice"))
    finally:
        if elsewhere_reads is not elsewhere:
            await elsewhere_reads.dispose()
        await elsewhere.dispose()
    after = await ranked.products(PageRequest(1, 20), found)
    assert (after.items[0].id, after.items[0].name, after.items[0].price) == (last.id, "Cheapest Rice", Decimal("1.00"))
    assert list(after.items) == list((await reader.products(PageRequest(1, 20), found)).items)
    assert ranked.stats.stale == 1
    again = await ranked.products(PageRequest(2, 20), found)  # kept again, at the new version
    assert ranked.stats.hits == 1 and list(again.items) == list(
        (await reader.products(PageRequest(2, 20), found)).items
    )


async def test_stock_is_read_fresh_on_a_kept_ranking(catalog: tuple[AsyncEngine, Any]) -> None:
    engine, reads = catalog
    ranked = RankedStorefront(SqlAlchemyStorefrontReader(reads))
    found = _found(q="basmati")
    first = (await ranked.products(PageRequest(1, 20), found)).items[0]
    async with engine.begin() as connection:
        key = (products.c.store_id == first.store_id) & (products.c.id == first.id)
        await connection.execute(update(products).where(key).values(stock=0))
    again = (await ranked.products(PageRequest(1, 20), found)).items[0]
    assert ranked.stats.hits == 1 and again.id == first.id
    assert again.stock_status is StockStatus.OUT_OF_STOCK


async def test_the_typo_fallback_still_answers(catalog: tuple[AsyncEngine, Any], backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("typo tolerance is PostgreSQL's (pg_trgm)")
    _, reads = catalog
    ranked = RankedStorefront(SqlAlchemyStorefrontReader(reads))
    for _ in range(2):
        page = await ranked.products(PageRequest(1, 20), _found(q="basmti"))
        assert page.total_count > 0 and all("Basmati" in item.name for item in page.items)
    assert ranked.entries == 0 and ranked.stats.hits == 0


async def test_a_missing_version_row_keeps_nothing(catalog: tuple[AsyncEngine, Any]) -> None:
    engine, reads = catalog
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM catalog_version"))
    try:
        ranked = RankedStorefront(SqlAlchemyStorefrontReader(reads))
        for _ in range(2):
            assert (await ranked.products(PageRequest(1, 20), _found(q="rice"))).items
        assert ranked.entries == 0 and ranked.stats.hits == 0
    finally:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO catalog_version (id, version) VALUES (1, 1)"))
