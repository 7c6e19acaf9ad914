"""The storefront's reads: active stores and products, filters, and product search per dialect (decision 0032).

PostgreSQL matches every word as a prefix against a weighted tsvector (name A; brand, category B; description
C) through its GIN expression index, or the whole text against the name by trigram word similarity (pg_trgm,
its own GIN index), which forgives a typo; relevance is ts_rank plus that similarity. SQLite matches every word
as a prefix through FTS5 and ranks by bm25 with the same weights.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import REAL, ColumnElement, Select, and_, cast, func, literal, literal_column, or_, select, table, text
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.engine import read_options
from s2cart.adapters.persistence.repositories.catalog import product_of, store_of
from s2cart.adapters.persistence.tables.catalog import products, stores
from s2cart.application.catalog.browse import Listing, ProductFilter
from s2cart.domain.catalog.search_terms import SearchTerms
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.pagination import Page, PageRequest

# The expression of migration 0047's ix_products_search, word for word: the index serves only this expression.
DOCUMENT = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(products.name, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(products.brand, '')), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(products.category, '')), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(products.description, '')), 'C')"
)
_TSQUERY = "to_tsquery('simple'::regconfig, :prefix_query)"
# Weights of D, C, B, A in ts_rank's order.
_PG_MATCH = f"(({DOCUMENT}) @@ {_TSQUERY} OR :search_text <% products.name)"
_PG_RANK = f"ts_rank('{{0.1, 0.3, 0.6, 1.0}}', ({DOCUMENT}), {_TSQUERY}) + word_similarity(:search_text, products.name)"
_SQLITE_RANK = "bm25(products_fts, 10.0, 6.0, 6.0, 3.0)"


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SqlAlchemyStorefrontReader:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.execution_options(**read_options(engine))
        self._postgresql = engine.dialect.name == "postgresql"

    async def stores(self, request: PageRequest, name: str | None, descending: bool) -> Page[Store]:
        where: list[ColumnElement[bool]] = [stores.c.active.is_(True)]
        if name is not None:
            where.append(stores.c.name.ilike(_like(name), escape="\\"))
        order = (stores.c.name.desc(), stores.c.id.desc()) if descending else (stores.c.name, stores.c.id)
        query = select(stores).where(*where).order_by(*order).offset(request.offset).limit(request.limit)
        count = select(func.count()).select_from(stores).where(*where)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
            total = len(rows) + request.offset if 0 < len(rows) < request.limit else None
            if total is None:
                total = int((await connection.execute(count)).scalar_one())
        return Page(items=[store_of(row) for row in rows], total_count=total, request=request)

    async def store(self, store_id: str) -> Store | None:
        query = select(stores).where(stores.c.id == store_id, stores.c.active.is_(True))
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        return None if row is None else store_of(row)

    async def product(self, store_id: str, product_id: str) -> Listing | None:
        query = _listings().where(products.c.store_id == store_id, products.c.id == product_id)
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        return None if row is None else Listing(product_of(row), row.store_name)

    async def products(self, request: PageRequest, found: ProductFilter) -> Page[Listing]:
        query = self._filtered(_listings(), found)
        count = self._filtered(select(func.count()).select_from(products.join(stores, _store_of_product)), found)
        if found.terms is not None:
            query, count = self._searched(query, found.terms), self._searched(count, found.terms)
        query = query.order_by(*self._order(found)).offset(request.offset).limit(request.limit)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query, self._parameters(found.terms))).all()
            # A short page tells the total without counting (a page past the end still needs the count).
            total = len(rows) + request.offset if 0 < len(rows) < request.limit else None
            if total is None:
                total = int((await connection.execute(count, self._parameters(found.terms))).scalar_one())
        return Page(
            items=[Listing(product_of(row), row.store_name) for row in rows], total_count=total, request=request
        )

    def _searched(self, query: Select[Any], terms: SearchTerms) -> Select[Any]:
        if self._postgresql:
            return query.where(text(_PG_MATCH))
        fts = table("products_fts")
        return query.join(fts, literal_column("products_fts.rowid") == literal_column("products.rowid")).where(
            text("products_fts MATCH :fts_query")
        )

    def _parameters(self, terms: SearchTerms | None) -> dict[str, str]:
        if terms is None:
            return {}
        if self._postgresql:
            return {"prefix_query": terms.prefix_query(), "search_text": terms.text}
        return {"fts_query": terms.fts5_query()}

    def _order(self, found: ProductFilter) -> tuple[Any, ...]:
        tie = (products.c.store_id, products.c.id)
        field, descending = found.ordering.field, found.ordering.descending
        if field == "relevance":
            rank: Any = text(f"({_PG_RANK}) DESC") if self._postgresql else literal_column(_SQLITE_RANK)
            return (rank, products.c.name, *tie)
        column = self._price() if field == "price" else products.c.name
        return (column.desc() if descending else column.asc(), *tie)

    def _price(self) -> ColumnElement[Any]:
        # SQLite keeps amounts as text (types.Money), where "1000.00" < "500.00": compared as numbers instead.
        return products.c.price if self._postgresql else cast(products.c.price, REAL)

    def _amount(self, value: Decimal) -> Any:
        return value if self._postgresql else literal(float(value), REAL)

    def _filtered(self, query: Select[Any], found: ProductFilter) -> Select[Any]:
        where: list[ColumnElement[bool]] = [products.c.active.is_(True), stores.c.active.is_(True)]
        if found.store_id is not None:
            where.append(products.c.store_id == found.store_id)
        if found.category is not None:
            where.append(func.lower(products.c.category) == found.category.lower())
        if found.brand is not None:
            where.append(func.lower(products.c.brand) == found.brand.lower())
        if found.min_price is not None:
            where.append(self._price() >= self._amount(found.min_price))
        if found.max_price is not None:
            where.append(self._price() <= self._amount(found.max_price))
        if found.in_stock is True:
            where.append(or_(products.c.stock.is_(None), products.c.stock > 0))
        elif found.in_stock is False:
            where.append(and_(products.c.stock.is_not(None), products.c.stock <= 0))
        return query.where(*where)


_store_of_product = products.c.store_id == stores.c.id


def _listings() -> Select[Any]:
    return (
        select(products, stores.c.name.label("store_name"))
        .select_from(products.join(stores, _store_of_product))
        .where(products.c.active.is_(True), stores.c.active.is_(True))
    )
