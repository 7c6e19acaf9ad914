"""Product search at 100,000 products uses its indexes on PostgreSQL: no sequential scan of products (issue 18).

The rows are made by the database itself (generate_series, a recursive CTE on SQLite), so the test takes
seconds, not minutes. On SQLite the same searches are timed (FTS5 is the only way they can run).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.engine import make_engine
from s2cart.adapters.persistence.readers import product_search
from s2cart.adapters.persistence.readers.storefront import SqlAlchemyStorefrontReader
from s2cart.application.catalog.browse import ProductQuery, product_filter
from s2cart.domain.shared.pagination import PageRequest

PRODUCTS = 100_000
STORES = 50
# 60 items and 10 qualities: one item word is in 1 name of 60, as in a real catalogue of many kinds of goods.
ITEMS = (
    "atta basmati dal ghee masala paneer rice sugar tea turmeric coffee jaggery poha suji besan rajma chana "
    "moong urad ragi oats muesli honey pickle papad namkeen biscuits cookies noodles pasta ketchup jam butter "
    "cheese curd milk lassi juice soap shampoo detergent toothpaste headphones speaker charger cable laptop "
    "mouse keyboard monitor router earbuds smartwatch powerbank tablet phone trimmer iron kettle mixer"
)
QUALITIES = "Classic Premium Organic Gold Lite Select Royal Daily Value Fresh"
FILL = f"""
INSERT INTO stores (id, name, active)
SELECT 'store_' || s, 'Store ' || s, true FROM generate_series(1, {STORES}) AS s;
INSERT INTO products (store_id, id, name, price, stock, brand, category, description, images, active)
SELECT 'store_' || (1 + n % {STORES}),
       'prod_' || n,
       initcap(w.item) || ' ' || w.quality || ' ' || (1 + n % 20) * 100 || ' g',
       (10 + n % 5000)::numeric(12, 2),
       CASE WHEN n % 7 = 0 THEN NULL ELSE n % 40 END,
       'Brand ' || (n % 300),
       'Category ' || (n % 40),
       'Item ' || n || ' of the ' || w.item || ' range',
       '[]',
       n % 50 <> 0
FROM generate_series(1, {PRODUCTS}) AS n
CROSS JOIN LATERAL (
    SELECT (string_to_array('{ITEMS}', ' '))[1 + (n::bigint * 7919) % 60] AS item,
           (string_to_array('{QUALITIES}', ' '))[1 + (n / 7) % 10] AS quality
) AS w;
ANALYZE stores;
ANALYZE products;
"""


# The same rows on SQLite, from a recursive CTE (the FTS5 triggers index them as they go in).
SQLITE_FILL = f"""
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {STORES})
INSERT INTO stores (id, name, active) SELECT 'store_' || n, 'Store ' || n, 1 FROM s;
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {PRODUCTS}),
items(i, item) AS (SELECT key, value FROM json_each('["' || replace('{ITEMS}', ' ', '","') || '"]')),
qualities(i, quality) AS (SELECT key, value FROM json_each('["' || replace('{QUALITIES}', ' ', '","') || '"]'))
INSERT INTO products (store_id, id, name, price, stock, brand, category, description, images, active)
SELECT 'store_' || (1 + n % {STORES}), 'prod_' || n,
       upper(substr(item, 1, 1)) || substr(item, 2) || ' ' || quality || ' ' || ((1 + n % 20) * 100) || ' g',
       printf('%.2f', 10 + n % 5000), CASE WHEN n % 7 = 0 THEN NULL ELSE n % 40 END,
       'Brand ' || (n % 300), 'Category ' || (n % 40), 'Item ' || n || ' of the ' || item || ' range', '[]',
       n % 50 <> 0
FROM g JOIN items ON items.i = (n * 7919) % 60 JOIN qualities ON qualities.i = (n / 7) % 10;
ANALYZE;
"""


@pytest.fixture
async def engine(backend: str, database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    async with engine.begin() as connection:
        for statement in (FILL if backend == "postgresql" else SQLITE_FILL).split(";\n"):
            if statement.strip():
                await connection.execute(text(statement))
    yield engine
    await engine.dispose()


SEARCHES: list[dict[str, object]] = [
    {"q": "basmati"},
    {"q": "basmati premium"},
    {"q": "basmti"},  # no word matches: the trigram search answers
    {"q": "basmti premum"},
    {"q": "bas"},
    {"q": "turmeric", "ordering": "price", "in_stock": True},
    {"q": "charger", "min_price": "100", "max_price": "900"},
]


async def _plan(engine: AsyncEngine, statement: Any) -> str:
    # Values written into the statement; run without parameters, so the driver's "%%" escape is undone.
    sql = str(statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})).replace("%%", "%")
    async with engine.connect() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        async with raw.cursor() as cursor:
            await cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in await cursor.fetchall())


async def test_searches_use_the_indexes(engine: AsyncEngine, backend: str) -> None:
    reader = SqlAlchemyStorefrontReader(engine)
    for params in SEARCHES:
        if backend == "sqlite":
            await _timed(reader, params)
            continue
        found = product_filter(ProductQuery(**params))  # type: ignore[arg-type]
        statements = [*reader.statements(PageRequest(1, 20), found)]
        if "basmti" in str(params["q"]):
            statements += reader.statements(PageRequest(1, 20), found, typo=True)
        for statement in statements:
            plan = await _plan(engine, statement)
            assert "Seq Scan on products" not in plan, plan
            assert "ix_products_search" in plan or "ix_products_name_trgm" in plan, plan
        await _timed(reader, params)


async def _timed(reader: SqlAlchemyStorefrontReader, params: dict[str, object]) -> None:
    """Every search finds something; how long it took is printed (pytest -s), for the record, not asserted."""
    found = product_filter(ProductQuery(**params))  # type: ignore[arg-type]
    if "basmti" in str(params["q"]) and not reader.forgives_typos:
        return
    await reader.products(PageRequest(1, 20), found)  # warm
    started = time.perf_counter()
    rounds = 10
    for _ in range(rounds):
        page = await reader.products(PageRequest(1, 20), found)
    elapsed = (time.perf_counter() - started) / rounds
    assert page.items, params
    print(f"search {params}: {page.total_count} matches, first page in {elapsed * 1000:.1f} ms")


async def test_a_page_read_by_key_uses_the_primary_key(engine: AsyncEngine, backend: str) -> None:
    """A kept ranking's page (decision 0052): 20 rows by primary key, no scan of products, at 100,000 products."""
    if backend == "sqlite":
        pytest.skip("the plan pinned is PostgreSQL's")
    keys = [(f"store_{1 + n % STORES}", f"prod_{n}") for n in range(1, 21)]
    compiled = product_search.by_keys(True).compile(dialect=engine.dialect)
    values = {name: bind.effective_value for bind, name in compiled.bind_names.items() if not bind.required}
    values.update(store_ids=[k[0] for k in keys], ids=[k[1] for k in keys])
    async with engine.connect() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        async with raw.cursor() as cursor:
            await cursor.execute(f"EXPLAIN {compiled}", values)
            plan = "\n".join(row[0] for row in await cursor.fetchall())
    assert "Seq Scan on products" not in plan and "pk_products" in plan, plan
