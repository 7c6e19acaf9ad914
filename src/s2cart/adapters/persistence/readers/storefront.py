"""The storefront's reads: active stores and products, filters, and product search per dialect (decision 0032;
the product list's statements are built in ``product_search``).

PostgreSQL matches every word as a prefix against a weighted tsvector (name A; brand, category B; description
C; GIN-indexed) and ranks by ts_rank. When that finds nothing, each word is matched against the names by
trigram word similarity (pg_trgm, its own GIN index), which forgives a typo, best similarity first. SQLite
matches every word as a prefix through FTS5 and ranks by bm25 with the same weights.

Every statement is compiled once (per shape for the product list) and run through ``Reader.rows``: on
PostgreSQL its text on the raw driver, plain tuples back (decision 0041); SQLite through Core. Listings are
built straight from those tuples by position: the rows were checked as ``Product``s when the catalog was
loaded, so a read does not validate them again (decision 0047).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, String, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from s2cart.adapters.persistence.readers import product_search
from s2cart.adapters.persistence.readers.base import Query, Reader
from s2cart.adapters.persistence.readers.base import Row as Values
from s2cart.adapters.persistence.repositories.catalog import STORE_FIELDS
from s2cart.adapters.persistence.tables.catalog import products, stores
from s2cart.application.catalog.browse import Listing, ProductFilter
from s2cart.application.catalog.search_rankings import Key, Ranked
from s2cart.domain.catalog.product import cover_image_of, stock_status_of
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.pagination import Page, PageRequest

_STORE_COLUMNS = tuple(stores.c[field] for field in STORE_FIELDS)
_PAGE = {"offset": bindparam("page_offset", type_=Integer), "limit": bindparam("page_limit", type_=Integer)}


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def listing_of(row: Values) -> Listing:
    """A listing from a row of ``product_search.LISTING_COLUMNS``, by position."""
    (store_id, id_, name, description, category, brand, price, mrp, image_url, images, unit, stock, hsn, gst) = row[:14]
    gallery = tuple(images) if images else ()
    return Listing(
        store_id=store_id,
        store_name=row[14],
        id=id_,
        name=name,
        description=description,
        category=category,
        brand=brand,
        price=price,
        mrp=mrp,
        image_url=cover_image_of(image_url, gallery),
        images=gallery,
        unit=unit,
        stock_status=stock_status_of(stock),
        hsn_code=hsn,
        gst_rate=gst,
    )


def _store_of(row: Values) -> Store:
    return Store(**dict(zip(STORE_FIELDS, row, strict=True)))


class SqlAlchemyStorefrontReader(Reader):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._postgresql = self._dialect == "postgresql"
        self.forgives_typos = self._postgresql
        self._store = self.query(
            select(*_STORE_COLUMNS).where(stores.c.id == bindparam("store_id", type_=String), stores.c.active.is_(True))
        )
        self._product = self.query(
            _listings().where(
                products.c.store_id == bindparam("store_id", type_=String),
                products.c.id == bindparam("product_id", type_=String),
            )
        )
        # (named, descending): the store list's page and count, built once each.
        self._store_pages: dict[tuple[bool, bool], tuple[Query, Query]] = {
            (named, descending): self._stores_queries(named, descending)
            for named in (False, True)
            for descending in (False, True)
        }
        self._product_pages: dict[product_search.Shape, tuple[Query, Query]] = {}
        self._ranked_pages: dict[product_search.Shape, tuple[Query, Query]] = {}
        self._by_keys = self.query(product_search.by_keys(self._postgresql))

    def _stores_queries(self, named: bool, descending: bool) -> tuple[Query, Query]:
        where: list[ColumnElement[bool]] = [stores.c.active.is_(True)]
        if named:
            where.append(stores.c.name.ilike(bindparam("name_pattern", type_=String), escape="\\"))
        order = (stores.c.name.desc(), stores.c.id.desc()) if descending else (stores.c.name, stores.c.id)
        query = select(*_STORE_COLUMNS).where(*where).order_by(*order).offset(_PAGE["offset"]).limit(_PAGE["limit"])
        count = select(func.count()).select_from(stores).where(*where)
        return self.query(query), self.query(count)

    async def stores(self, request: PageRequest, name: str | None, descending: bool) -> Page[Store]:
        query, count = self._store_pages[name is not None, descending]
        params: dict[str, Any] = {} if name is None else {"name_pattern": _like(name)}
        async with self.reading() as connection:
            rows = await self.rows_on(
                connection, query, {**params, "page_offset": request.offset, "page_limit": request.limit}
            )
            total = len(rows) + request.offset if 0 < len(rows) < request.limit else None
            if total is None:
                total = int((await self.rows_on(connection, count, params))[0][0])
        return Page(items=[_store_of(row) for row in rows], total_count=total, request=request)

    async def store(self, store_id: str) -> Store | None:
        rows = await self.rows(self._store, {"store_id": store_id})
        return _store_of(rows[0]) if rows else None

    async def product(self, store_id: str, product_id: str) -> Listing | None:
        rows = await self.rows(self._product, {"store_id": store_id, "product_id": product_id})
        return listing_of(rows[0]) if rows else None

    async def products(self, request: PageRequest, found: ProductFilter) -> Page[Listing]:
        async with self.reading() as connection:
            rows, total = await self._page(connection, request, found)
            if total == 0 and self._may_be_a_typo(found):
                rows, total = await self._page(connection, request, found, typo=True)
        return _page_of(rows, total, request)

    async def ranked_products(self, request: PageRequest, found: ProductFilter, keep: int) -> Ranked:
        """The page and the keys of the first ``keep`` positions, with the catalog version of the same snapshot
        (decision 0052): the full query read from the first position to the ``keep``-th."""
        shape = product_search.shape_of(found, self._postgresql, False)
        query, count = self._queries(shape, ranked=True)
        values = product_search.values_of(found, request, self._postgresql, False)
        values["page_offset"], values["page_limit"] = 0, keep
        async with self.reading() as connection:
            rows = await self.rows_on(connection, query, values)
            if not rows:  # nothing to keep; a typo's page is read as ``products`` reads it
                if not self._may_be_a_typo(found):
                    return Ranked(_page_of((), 0, request), (), None)
                typo_rows, typo_total = await self._page(connection, request, found, typo=True)
                return Ranked(_page_of(typo_rows, typo_total, request), (), None)
            if shape.folds_count:
                total = int(rows[0][product_search.TOTAL_AT])
            elif len(rows) < keep:
                total = len(rows)
            else:
                total = int((await self.rows_on(connection, count, _unpaged(values)))[0][0])
        page = _page_of(rows[request.offset : request.offset + request.limit], total, request)
        version = rows[0][-1]  # None only if the version's row is missing: nothing is kept then
        return Ranked(page, [(row[0], row[1]) for row in rows], None if version is None else int(version))

    async def products_at(self, keys: Sequence[Key], version: int) -> list[Listing] | None:
        """The listings of ``keys`` in that order, if the catalog is still at ``version`` (read in the same
        statement) and every one of them is still there."""
        if self._postgresql:
            params: dict[str, Any] = {"store_ids": [key[0] for key in keys], "ids": [key[1] for key in keys]}
        else:
            params = {"keys": list(keys)}
        rows = await self.rows(self._by_keys, params)
        if len(rows) != len(keys) or rows[0][-1] != version:
            return None
        by_key = {(row[0], row[1]): row for row in rows}
        try:
            return [listing_of(by_key[key]) for key in keys]
        except KeyError:
            return None

    def _queries(self, shape: product_search.Shape, ranked: bool = False) -> tuple[Query, Query]:
        """The page's query and the count for ``shape``, prepared once; ``ranked``: with the catalog version."""
        kept = self._ranked_pages if ranked else self._product_pages
        queries = kept.get(shape)
        if queries is None:
            query, count = (product_search.ranked_statements if ranked else product_search.statements)(shape)
            queries = kept[shape] = (self.query(query), self.query(count))
        return queries

    def _may_be_a_typo(self, found: ProductFilter) -> bool:
        """No word matched: perhaps a typo ("basmti"). The trigram match (PostgreSQL's) runs only then, so it
        neither slows down nor dilutes the searches that found something."""
        return found.terms is not None and self._postgresql

    async def _page(
        self, connection: AsyncConnection, request: PageRequest, found: ProductFilter, typo: bool = False
    ) -> tuple[Sequence[Values], int]:
        shape = product_search.shape_of(found, self._postgresql, typo)
        query, count = self._queries(shape)
        values = product_search.values_of(found, request, self._postgresql, typo)
        rows = await self.rows_on(connection, query, values)
        if rows and shape.folds_count:
            return rows, int(rows[0][product_search.TOTAL_AT])
        # A short first page, or a short page, tells the total without counting (one past the end cannot).
        if 0 < len(rows) < request.limit or (not rows and request.offset == 0):
            return rows, len(rows) + request.offset
        return rows, int((await self.rows_on(connection, count, _unpaged(values)))[0][0])

    def statements(
        self, request: PageRequest, found: ProductFilter, typo: bool = False
    ) -> tuple[Select[Any], Select[Any]]:
        """The page's query and the count with their values bound (for the test that pins their plans)."""
        values = product_search.values_of(found, request, self._postgresql, typo)
        query, count = product_search.statements(product_search.shape_of(found, self._postgresql, typo))
        return query.params(values), count.params(_unpaged(values))


def _page_of(rows: Sequence[Values], total: int, request: PageRequest) -> Page[Listing]:
    return Page(items=[listing_of(row) for row in rows], total_count=total, request=request)


def _unpaged(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if not name.startswith("page_")}


def _listings() -> Select[Any]:
    return (
        select(*product_search.LISTING_COLUMNS)
        .select_from(products.join(stores, products.c.store_id == stores.c.id))
        .where(products.c.active.is_(True), stores.c.active.is_(True))
    )
