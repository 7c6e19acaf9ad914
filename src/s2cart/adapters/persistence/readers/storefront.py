"""The storefront's reads: active stores and products, filters, and product search per dialect (decision 0032;
the product list's statements are built in ``product_search``).

PostgreSQL matches every word as a prefix against a weighted tsvector (name A; brand, category B; description
C; GIN-indexed) and ranks by ts_rank. When that finds nothing, each word is matched against the names by
trigram word similarity (pg_trgm, its own GIN index), which forgives a typo, best similarity first. SQLite
matches every word as a prefix through FTS5 and ranks by bm25 with the same weights.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from s2cart.adapters.persistence.readers import product_search
from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.repositories.catalog import product_of, store_of
from s2cart.adapters.persistence.tables.catalog import products, stores
from s2cart.application.catalog.browse import Listing, ProductFilter
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.pagination import Page, PageRequest


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SqlAlchemyStorefrontReader(Reader):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
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
        shape = product_search.shape_of(found, self._postgresql, typo)
        query, count = product_search.statements(shape)
        values = product_search.values_of(found, request, self._postgresql, typo)
        rows = list((await connection.execute(query, values)).all())
        if rows and shape.folds_count:
            return rows, int(rows[0].total_count)
        # A short first page, or a short page, tells the total without counting (one past the end cannot).
        if 0 < len(rows) < request.limit or (not rows and request.offset == 0):
            return rows, len(rows) + request.offset
        return rows, int((await connection.execute(count, _unpaged(values))).scalar_one())

    def statements(
        self, request: PageRequest, found: ProductFilter, typo: bool = False
    ) -> tuple[Select[Any], Select[Any]]:
        """The page's query and the count with their values bound (for the test that pins their plans)."""
        values = product_search.values_of(found, request, self._postgresql, typo)
        query, count = product_search.statements(product_search.shape_of(found, self._postgresql, typo))
        return query.params(values), count.params(_unpaged(values))


def _unpaged(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if not name.startswith("page_")}


_store_of_product = products.c.store_id == stores.c.id


def _listings() -> Select[Any]:
    return (
        select(products, stores.c.name.label("store_name"))
        .select_from(products.join(stores, _store_of_product))
        .where(products.c.active.is_(True), stores.c.active.is_(True))
    )
