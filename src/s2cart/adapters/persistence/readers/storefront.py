"""The storefront's reads: active stores and products, filters, and product search per dialect (decision 0032).

PostgreSQL matches every word as a prefix against a weighted tsvector (name A; brand, category B; description
C; GIN-indexed) and ranks by ts_rank. When that finds nothing, each word is matched against the names by
trigram word similarity (pg_trgm, its own GIN index), which forgives a typo, best similarity first. SQLite
matches every word as a prefix through FTS5 and ranks by bm25 with the same weights.
"""

from __future__ import annotations

import functools
import operator
from decimal import Decimal
from typing import Any

from sqlalchemy import REAL, ColumnElement, Select, and_, cast, func, literal, literal_column, or_, select, table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from s2cart.adapters.persistence.engine import read_options
from s2cart.adapters.persistence.repositories.catalog import product_of, store_of
from s2cart.adapters.persistence.tables.catalog import products, stores
from s2cart.application.catalog.browse import Listing, ProductFilter
from s2cart.domain.catalog.search_terms import SearchTerms
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.pagination import Page, PageRequest

# products.search_document (PostgreSQL only, migration 0047): name A; brand, category B; description C.
_DOCUMENT = literal_column("products.search_document")
# ts_rank's weights in the order D, C, B, A.
_PG_WEIGHTS = literal_column("'{0.1, 0.3, 0.6, 1.0}'")
_SIMPLE = literal_column("'simple'::regconfig")
# Typos: every word (of three letters or more, trigrams need them) must be like a word of the name.
_TYPO_WORD_LENGTH = 3
_SQLITE_RANK = literal_column("bm25(products_fts, 10.0, 6.0, 6.0, 3.0)")
# An ordering: (expression, descending) pairs; the store and the product id tick off the ties after them.
_Keys = list[tuple[ColumnElement[Any], bool]]


def _typo_words(terms: SearchTerms) -> tuple[str, ...]:
    return tuple(w for w in terms.words if len(w) >= _TYPO_WORD_LENGTH) or terms.words


def _tsquery(terms: SearchTerms) -> ColumnElement[Any]:
    return func.to_tsquery(_SIMPLE, literal(terms.prefix_query()))


def _pg_match(terms: SearchTerms, typo: bool) -> ColumnElement[bool]:
    if typo:
        return and_(*(literal(word).op("<%")(products.c.name) for word in _typo_words(terms)))
    return _DOCUMENT.op("@@")(_tsquery(terms))


def _pg_rank(terms: SearchTerms, typo: bool) -> ColumnElement[Any]:
    if typo:
        similarities = [func.word_similarity(literal(word), products.c.name) for word in _typo_words(terms)]
        return functools.reduce(operator.add, similarities)
    return func.ts_rank(_PG_WEIGHTS, _DOCUMENT, _tsquery(terms))


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SqlAlchemyStorefrontReader:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.execution_options(**read_options(engine))
        self._postgresql = engine.dialect.name == "postgresql"
        self.forgives_typos = self._postgresql

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
        async with self._engine.connect() as connection:
            rows, total = await self._page(connection, request, found)
            if total == 0 and found.terms is not None and self._postgresql:
                # No word matched: perhaps a typo ("basmti"). The trigram match runs only then, so it
                # neither slows down nor dilutes the searches that found something.
                rows, total = await self._page(connection, request, found, typo=True)
        items = [Listing(product_of(row), row.store_name) for row in rows]
        return Page(items=items, total_count=total, request=request)

    async def _page(
        self, connection: AsyncConnection, request: PageRequest, found: ProductFilter, typo: bool = False
    ) -> tuple[list[Any], int]:
        query, count = self.statements(request, found, typo)
        rows = list((await connection.execute(query)).all())
        if rows and self._folds_count(found):
            return rows, int(rows[0].total_count)
        # A short first page, or a short page, tells the total without counting (one past the end cannot).
        if 0 < len(rows) < request.limit or (not rows and request.offset == 0):
            return rows, len(rows) + request.offset
        return rows, int((await connection.execute(count)).scalar_one())

    def statements(
        self, request: PageRequest, found: ProductFilter, typo: bool = False
    ) -> tuple[Select[Any], Select[Any]]:
        """The page's query and the count (public for the test that pins their plans).

        A search on PostgreSQL carries the number of matches on each row of its page: one pass over the matches
        ranks and counts them by their keys only (ids, sort keys, ``count(*) OVER ()``), then the page's rows
        are read whole by primary key; the count runs only for a page past the end. Browsing without words
        keeps a page and a count (a window over every product would hold them all), and so does SQLite (FTS5
        refuses bm25() in a query with a window function)."""
        keys = self._order(found, typo)
        count = self._matching(select(func.count()), found, typo)
        ties = (products.c.store_id, products.c.id)
        if not self._folds_count(found):
            listed = self._matching(select(products, stores.c.name.label("store_name")), found, typo)
            order = [*(_directed(e, d) for e, d in keys), *ties]
            return listed.order_by(*order).offset(request.offset).limit(request.limit), count
        sort = [expression.label(f"sort_{i}") for i, (expression, _) in enumerate(keys)]
        total = func.count().over().label("total_count")
        matched = self._matching(select(*ties, *sort, total), found, typo)
        inner = [*(_directed(e, d) for e, d in keys), *ties]
        page = matched.order_by(*inner).offset(request.offset).limit(request.limit).subquery("page")
        outer = [*(_directed(page.c[f"sort_{i}"], d) for i, (_, d) in enumerate(keys)), page.c.store_id, page.c.id]
        by_key = and_(products.c.store_id == page.c.store_id, products.c.id == page.c.id)
        query = (
            select(products, stores.c.name.label("store_name"), page.c.total_count)
            .select_from(page.join(products, by_key).join(stores, _store_of_product))
            .order_by(*outer)
        )
        return query, count

    def _folds_count(self, found: ProductFilter) -> bool:
        return self._postgresql and found.terms is not None

    def _matching(self, query: Select[Any], found: ProductFilter, typo: bool) -> Select[Any]:
        query = self._filtered(query.select_from(products.join(stores, _store_of_product)), found)
        if found.terms is None:
            return query
        if self._postgresql:
            return query.where(_pg_match(found.terms, typo))
        fts = literal_column("products_fts")
        return query.join(
            table("products_fts"), literal_column("products_fts.rowid") == literal_column("products.rowid")
        ).where(fts.op("MATCH")(literal(found.terms.fts5_query())))

    def _order(self, found: ProductFilter, typo: bool = False) -> _Keys:
        field, descending = found.ordering.field, found.ordering.descending
        if field == "relevance" and found.terms is not None:
            if self._postgresql:
                return [(_pg_rank(found.terms, typo), True), (products.c.name, False)]
            return [(_SQLITE_RANK, False), (products.c.name, False)]  # bm25: lower is better
        return [(self._price() if field == "price" else products.c.name, descending)]

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


def _directed(expression: ColumnElement[Any], descending: bool) -> ColumnElement[Any]:
    return expression.desc() if descending else expression.asc()


_store_of_product = products.c.store_id == stores.c.id


def _listings() -> Select[Any]:
    return (
        select(products, stores.c.name.label("store_name"))
        .select_from(products.join(stores, _store_of_product))
        .where(products.c.active.is_(True), stores.c.active.is_(True))
    )
