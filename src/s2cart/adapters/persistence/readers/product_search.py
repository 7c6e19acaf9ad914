"""The product list's statements per dialect (decision 0032), built once per shape and run with its values.

A shape is what changes the SQL (the dialect, which filters are set, the ordering, a search and how many typo
words it has); the values (words, filters, page) are bound parameters. Building a statement of this size costs
more Python than running it, so each shape's pair (page, count) is kept: a process sees a few dozen shapes.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    REAL,
    Integer,
    Numeric,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    tuple_,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Select

from s2cart.adapters.persistence.tables.catalog import catalog_version, products, stores
from s2cart.application.catalog.browse import ProductFilter
from s2cart.domain.catalog.search_terms import SearchTerms
from s2cart.domain.shared.pagination import PageRequest

# products.search_document (PostgreSQL only, migration 0047): name A; brand, category B; description C.
_DOCUMENT = literal_column("products.search_document")
_TSQUERY = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("prefix_query", type_=String))
# ts_rank's weights in the order D, C, B, A.
_PG_RANK = func.ts_rank(literal_column("'{0.1, 0.3, 0.6, 1.0}'"), _DOCUMENT, _TSQUERY)
_SQLITE_RANK = literal_column("bm25(products_fts, 10.0, 6.0, 6.0, 3.0)")
# Typos: every word (of three letters or more, trigrams need them) must be like a word of the name.
_TYPO_WORD_LENGTH = 3
_STORE_OF_PRODUCT = products.c.store_id == stores.c.id
# What a listing is built from, in this order: ``storefront.listing_of`` reads the rows by position. A search on
# PostgreSQL adds the number of matches after them (``TOTAL_AT``).
LISTING_COLUMNS = (
    products.c.store_id, products.c.id, products.c.name, products.c.description, products.c.category,
    products.c.brand, products.c.price, products.c.mrp, products.c.image_url, products.c.images, products.c.unit,
    products.c.stock, products.c.hsn_code, products.c.gst_rate, stores.c.name.label("store_name"),
)  # fmt: skip
TOTAL_AT = len(LISTING_COLUMNS)
# The catalog's version (decision 0052), read in the statement whose rows it vouches for: the last column of the
# ranked statements and of the page read by keys.
_VERSION = select(catalog_version.c.version).where(catalog_version.c.id == 1).scalar_subquery()
# An ordering: (expression, descending) pairs; the store and the product id tick off the ties after them.
_Keys = list[tuple[ColumnElement[Any], bool]]


@dataclass(frozen=True)
class Shape:
    postgresql: bool
    searched: bool
    typo_words: int  # 0 unless this is the typo fallback
    ordering: str
    descending: bool
    filters: tuple[str, ...]  # the names of the filters set, in ProductFilter's order
    in_stock: bool | None

    @property
    def folds_count(self) -> bool:
        """A search on PostgreSQL carries its count on each row of its page (see ``statements``)."""
        return self.postgresql and self.searched


_FILTERS = ("store_id", "category", "brand", "min_price", "max_price")


def typo_words(terms: SearchTerms) -> tuple[str, ...]:
    return tuple(w for w in terms.words if len(w) >= _TYPO_WORD_LENGTH) or terms.words


def shape_of(found: ProductFilter, postgresql: bool, typo: bool) -> Shape:
    return Shape(
        postgresql=postgresql,
        searched=found.terms is not None,
        typo_words=len(typo_words(found.terms)) if typo and found.terms is not None else 0,
        ordering=found.ordering.field,
        descending=found.ordering.descending,
        filters=tuple(name for name in _FILTERS if getattr(found, name) is not None),
        in_stock=found.in_stock,
    )


def values_of(found: ProductFilter, request: PageRequest, postgresql: bool, typo: bool) -> dict[str, Any]:
    values: dict[str, Any] = {"page_limit": request.limit, "page_offset": request.offset}
    if found.terms is not None:
        if not postgresql:
            values["fts_query"] = found.terms.fts5_query()
        elif typo:
            values.update((f"word_{i}", word) for i, word in enumerate(typo_words(found.terms)))
        else:
            values["prefix_query"] = found.terms.prefix_query()
    for name in _FILTERS:
        value = getattr(found, name)
        if value is None:
            continue
        if name in ("category", "brand"):
            value = value.lower()
        elif name in ("min_price", "max_price") and not postgresql:
            value = float(value)
        values[name] = value
    return values


@functools.lru_cache(maxsize=512)
def statements(shape: Shape) -> tuple[Select[Any], Select[Any]]:
    """The page's query and the count, for ``values_of``'s parameters.

    A search on PostgreSQL carries the number of matches on each row of its page: one pass over the matches
    ranks and counts them by their keys only (ids, sort keys, ``count(*) OVER ()``), then the page's rows are
    read whole by primary key; the count runs only for a page past the end. Browsing without words keeps a
    page and a count (a window over every product would hold them all), and so does SQLite (FTS5 refuses
    bm25() in a query with a window function)."""
    keys = _order(shape)
    count = _matching(select(func.count()), shape)
    ties = (products.c.store_id, products.c.id)
    limit, offset = bindparam("page_limit", type_=Integer), bindparam("page_offset", type_=Integer)
    if not shape.folds_count:
        listed = _matching(select(*LISTING_COLUMNS), shape)
        return listed.order_by(*(_directed(e, d) for e, d in keys), *ties).offset(offset).limit(limit), count
    sort = [expression.label(f"sort_{i}") for i, (expression, _) in enumerate(keys)]
    matched = _matching(select(*ties, *sort, func.count().over().label("total_count")), shape)
    page = matched.order_by(*(_directed(e, d) for e, d in keys), *ties).offset(offset).limit(limit).subquery("page")
    outer = [*(_directed(page.c[f"sort_{i}"], d) for i, (_, d) in enumerate(keys)), page.c.store_id, page.c.id]
    by_key = and_(products.c.store_id == page.c.store_id, products.c.id == page.c.id)
    query = (
        select(*LISTING_COLUMNS, page.c.total_count)
        .select_from(page.join(products, by_key).join(stores, _STORE_OF_PRODUCT))
        .order_by(*outer)
    )
    return query, count


@functools.lru_cache(maxsize=512)
def ranked_statements(shape: Shape) -> tuple[Select[Any], Select[Any]]:
    """``statements`` whose page rows end with the catalog's version on the same snapshot (decision 0052)."""
    query, count = statements(shape)
    return query.add_columns(_VERSION.label("catalog_version")), count


def by_keys(postgresql: bool) -> Select[Any]:
    """Listings of given keys (any order), each row ending with the catalog's version: on PostgreSQL two arrays
    (``store_ids``, ``ids``), on SQLite a list of pairs (``keys``)."""
    key = tuple_(products.c.store_id, products.c.id)
    if postgresql:
        pairs = select(literal_column("k.store_id"), literal_column("k.id")).select_from(
            text("unnest(CAST(:store_ids AS varchar[]), CAST(:ids AS varchar[])) AS k(store_id, id)")
        )
        chosen = key.in_(pairs)
    else:
        chosen = key.in_(bindparam("keys", expanding=True))
    return (
        select(*LISTING_COLUMNS, _VERSION.label("catalog_version"))
        .select_from(products.join(stores, _STORE_OF_PRODUCT))
        .where(chosen, products.c.active.is_(True), stores.c.active.is_(True))
    )


def _matching(query: Select[Any], shape: Shape) -> Select[Any]:
    query = _filtered(query.select_from(products.join(stores, _STORE_OF_PRODUCT)), shape)
    if not shape.searched:
        return query
    if shape.postgresql:
        return query.where(_pg_match(shape))
    fts = literal_column("products_fts")
    return query.join(
        table("products_fts"), literal_column("products_fts.rowid") == literal_column("products.rowid")
    ).where(fts.op("MATCH")(bindparam("fts_query", type_=String)))


def _word(i: int) -> Any:
    return bindparam(f"word_{i}", type_=String)


def _pg_match(shape: Shape) -> ColumnElement[bool]:
    if shape.typo_words:
        return and_(*(_word(i).op("<%")(products.c.name) for i in range(shape.typo_words)))
    return _DOCUMENT.op("@@")(_TSQUERY)


def _order(shape: Shape) -> _Keys:
    if shape.ordering == "relevance" and shape.searched:
        if not shape.postgresql:
            return [(_SQLITE_RANK, False), (products.c.name, False)]  # bm25: lower is better
        if shape.typo_words:
            similarities = [func.word_similarity(_word(i), products.c.name) for i in range(shape.typo_words)]
            return [(functools.reduce(operator.add, similarities), True), (products.c.name, False)]
        return [(_PG_RANK, True), (products.c.name, False)]
    return [(_price(shape) if shape.ordering == "price" else products.c.name, shape.descending)]


def _price(shape: Shape) -> ColumnElement[Any]:
    # SQLite keeps amounts as text (types.Money), where "1000.00" < "500.00": compared as numbers instead.
    return products.c.price if shape.postgresql else cast(products.c.price, REAL)


def _amount(shape: Shape, name: str) -> Any:
    return bindparam(name, type_=Numeric(12, 2) if shape.postgresql else REAL)


def _filtered(query: Select[Any], shape: Shape) -> Select[Any]:
    where: list[ColumnElement[bool]] = [products.c.active.is_(True), stores.c.active.is_(True)]
    if "store_id" in shape.filters:
        where.append(products.c.store_id == bindparam("store_id", type_=String))
    if "category" in shape.filters:
        where.append(func.lower(products.c.category) == bindparam("category", type_=String))
    if "brand" in shape.filters:
        where.append(func.lower(products.c.brand) == bindparam("brand", type_=String))
    if "min_price" in shape.filters:
        where.append(_price(shape) >= _amount(shape, "min_price"))
    if "max_price" in shape.filters:
        where.append(_price(shape) <= _amount(shape, "max_price"))
    if shape.in_stock is True:
        where.append(or_(products.c.stock.is_(None), products.c.stock > 0))
    elif shape.in_stock is False:
        where.append(and_(products.c.stock.is_not(None), products.c.stock <= 0))
    return query.where(*where)


def _directed(expression: ColumnElement[Any], descending: bool) -> ColumnElement[Any]:
    return expression.desc() if descending else expression.asc()
