"""The storefront's reads: active stores and products, filters, and product search per dialect (decision 0032).

PostgreSQL matches every word as a prefix against a weighted tsvector (name A; brand, category B; description
C; GIN-indexed) and ranks by ts_rank. When that finds nothing, each word is matched against the names by
trigram word similarity (pg_trgm, its own GIN index), which forgives a typo, best similarity first. SQLite
matches every word as a prefix through FTS5 and ranks by bm25 with the same weights.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sqlalchemy import REAL, ColumnElement, Select, and_, cast, func, literal, literal_column, or_, select, table, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from s2cart.adapters.persistence.engine import read_options
from s2cart.adapters.persistence.repositories.catalog import product_of, store_of
from s2cart.adapters.persistence.tables.catalog import products, stores
from s2cart.application.catalog.browse import Listing, ProductFilter
from s2cart.domain.catalog.search_terms import SearchTerms
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.pagination import Page, PageRequest

# products.search_document (PostgreSQL only, migration 0047): name A; brand, category B; description C.
_TSQUERY = "to_tsquery('simple'::regconfig, :prefix_query)"
_PG_MATCH = f"products.search_document @@ {_TSQUERY}"
# ts_rank's weights in the order D, C, B, A.
_PG_RANK = f"ts_rank('{{0.1, 0.3, 0.6, 1.0}}', products.search_document, {_TSQUERY})"
# Typos: every word (of three letters or more, trigrams need them) must be like a word of the name.
_TYPO_WORD_LENGTH = 3


def _typo_words(terms: SearchTerms) -> tuple[str, ...]:
    return tuple(w for w in terms.words if len(w) >= _TYPO_WORD_LENGTH) or terms.words


def _pg_typo_match(terms: SearchTerms) -> str:
    return " AND ".join(f":word_{i} <% products.name" for i, _ in enumerate(_typo_words(terms)))


def _pg_typo_rank(terms: SearchTerms) -> str:
    return " + ".join(f"word_similarity(:word_{i}, products.name)" for i, _ in enumerate(_typo_words(terms)))


_SQLITE_RANK = "bm25(products_fts, 10.0, 6.0, 6.0, 3.0)"


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
            rows, total = await self._page(connection, *self.statements(request, found), request)
            if total == 0 and found.terms is not None and self._postgresql:
                # No word matched: perhaps a typo ("basmti"). The trigram match runs only then, so it
                # neither slows down nor dilutes the searches that found something.
                rows, total = await self._page(connection, *self.statements(request, found, typo=True), request)
        items = [Listing(product_of(row), row.store_name) for row in rows]
        return Page(items=items, total_count=total, request=request)

    @staticmethod
    async def _page(
        connection: AsyncConnection, query: Select[Any], count: Select[Any], request: PageRequest
    ) -> tuple[list[Any], int]:
        rows = list((await connection.execute(query)).all())
        # A short page tells the total without counting (a page past the end still needs the count).
        if 0 < len(rows) < request.limit:
            return rows, len(rows) + request.offset
        return rows, int((await connection.execute(count)).scalar_one())

    def statements(
        self, request: PageRequest, found: ProductFilter, typo: bool = False
    ) -> tuple[Select[Any], Select[Any]]:
        """The page's query and its count (public for the test that pins their plans)."""
        query = self._filtered(_listings(), found)
        count = self._filtered(select(func.count()).select_from(products.join(stores, _store_of_product)), found)
        if found.terms is not None:
            query, count = self._searched(query, found.terms, typo), self._searched(count, found.terms, typo)
        query = query.order_by(*self._order(found, typo)).offset(request.offset).limit(request.limit)
        return query, count

    def _searched(self, query: Select[Any], terms: SearchTerms, typo: bool) -> Select[Any]:
        if self._postgresql:
            return query.where(_sql(_pg_typo_match(terms) if typo else _PG_MATCH, self._parameters(terms)))
        fts = table("products_fts")
        return query.join(fts, literal_column("products_fts.rowid") == literal_column("products.rowid")).where(
            _sql("products_fts MATCH :fts_query", self._parameters(terms))
        )

    def _parameters(self, terms: SearchTerms) -> dict[str, str]:
        if self._postgresql:
            words = {f"word_{i}": word for i, word in enumerate(_typo_words(terms))}
            return {"prefix_query": terms.prefix_query(), **words}
        return {"fts_query": terms.fts5_query()}

    def _order(self, found: ProductFilter, typo: bool = False) -> tuple[Any, ...]:
        tie = (products.c.store_id, products.c.id)
        field, descending = found.ordering.field, found.ordering.descending
        if field == "relevance" and found.terms is not None:
            if self._postgresql:
                rank_sql = _pg_typo_rank(found.terms) if typo else _PG_RANK
                rank: Any = _sql(f"({rank_sql}) DESC", self._parameters(found.terms))
            else:
                rank = literal_column(_SQLITE_RANK)
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


def _sql(fragment: str, parameters: dict[str, str]) -> Any:
    """A SQL fragment with the parameters it names (text() refuses values for names it does not hold)."""
    return text(fragment).bindparams(**{k: v for k, v in parameters.items() if re.search(rf":{k}\b", fragment)})


_store_of_product = products.c.store_id == stores.c.id


def _listings() -> Select[Any]:
    return (
        select(products, stores.c.name.label("store_name"))
        .select_from(products.join(stores, _store_of_product))
        .where(products.c.active.is_(True), stores.c.active.is_(True))
    )
