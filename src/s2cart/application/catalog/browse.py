"""Browsing the storefront: stores and products as a shopper (signed in or not) sees them.

Only active stores and their active products are shown; stock is told as a status, never as a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from s2cart.application.search.record_search import RecordSearch, RecordSearchCommand
from s2cart.domain.catalog.errors import ProductNotFound
from s2cart.domain.catalog.product import Product, StockStatus
from s2cart.domain.catalog.search_terms import SearchTerms
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import ErrorCollector, NotFound, ValidationFailed
from s2cart.domain.shared.money import parse_amount
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest

PRODUCT_ORDERINGS = ("relevance", "price", "name")
BY_NAME = Ordering("name", descending=False)
STORE_ORDERINGS = ("name",)


class StoreNotFound(NotFound):
    default_message = "Store not found"

    def __init__(self, store_id: str) -> None:
        super().__init__(errors={"store_id": [f"Store '{store_id[:64]}' was not found."]})


@dataclass(frozen=True, slots=True)
class Listing:
    """A product as a shopper sees it, with the name of the store selling it: a read model built straight from
    the catalog's rows (they were checked as ``Product``s when the catalog was loaded, so a read does not check
    them again). It carries the stock's status, never its count, and nothing about who asked: one caller's
    listing may be served to another (``search_cache``)."""

    store_id: str
    store_name: str
    id: str
    name: str
    description: str | None
    category: str | None
    brand: str | None
    price: Decimal
    mrp: Decimal | None
    image_url: str | None  # the cover: the product's own image, else the first of ``images``
    images: tuple[str, ...]
    unit: str | None
    stock_status: StockStatus
    hsn_code: str | None
    gst_rate: Decimal | None

    @property
    def in_stock(self) -> bool:
        """Buyable now (one unit at least): what ``Product.has_stock_for(1)`` says."""
        return self.stock_status is not StockStatus.OUT_OF_STOCK

    @classmethod
    def of(cls, product: Product, store_name: str) -> Listing:
        return cls(
            store_id=product.store_id,
            store_name=store_name,
            id=product.id,
            name=product.name,
            description=product.description,
            category=product.category,
            brand=product.brand,
            price=product.price,
            mrp=product.mrp,
            image_url=product.cover_image,
            images=product.images,
            unit=product.unit,
            stock_status=product.stock_status,
            hsn_code=product.hsn_code,
            gst_rate=product.gst_rate,
        )


@dataclass(frozen=True)
class ProductFilter:
    terms: SearchTerms | None = None
    store_id: str | None = None
    category: str | None = None
    brand: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    ordering: Ordering = BY_NAME


class StorefrontReader(Protocol):
    async def stores(self, request: PageRequest, name: str | None, descending: bool) -> Page[Store]:
        """Active stores whose name contains ``name`` (case-insensitive), by name."""
        ...

    async def store(self, store_id: str) -> Store | None:
        """The store when it is active."""
        ...

    async def products(self, request: PageRequest, found: ProductFilter) -> Page[Listing]:
        """Active products of active stores. With ``found.terms`` and ordering ``relevance``: best match first
        (ties by name, store and id); every other ordering is ticked off by store and id."""
        ...

    async def product(self, store_id: str, product_id: str) -> Listing | None: ...


class ProductSearchDecorator:
    """The base of a ``StorefrontReader`` put in front of another to change the product search alone: stores, a
    store and a product pass through to ``inner``. Subclasses define ``products``."""

    def __init__(self, inner: StorefrontReader) -> None:
        self._inner = inner

    async def stores(self, request: PageRequest, name: str | None, descending: bool) -> Page[Store]:
        return await self._inner.stores(request, name, descending)

    async def store(self, store_id: str) -> Store | None:
        return await self._inner.store(store_id)

    async def product(self, store_id: str, product_id: str) -> Listing | None:
        return await self._inner.product(store_id, product_id)


@dataclass(frozen=True)
class ProductQuery:
    """The query parameters of ``GET /products/`` as they came (strings are parsed here, naming each)."""

    q: str | None = None
    store_id: str | None = None
    category: str | None = None
    brand: str | None = None
    min_price: str | None = None
    max_price: str | None = None
    in_stock: bool | None = None
    ordering: str | None = None
    save_search: bool = False


def product_filter(query: ProductQuery) -> ProductFilter:
    found = ErrorCollector()
    q = query.q.strip() if query.q and query.q.strip() else None
    terms = found.check(lambda: SearchTerms.parse(q)) if q else None
    low = found.check(lambda: _price(query.min_price, "min_price"))
    high = found.check(lambda: _price(query.max_price, "max_price"))
    default = "relevance" if q else "name"
    ordering = found.check(lambda: _ordering(query.ordering, default))
    found.raise_if_any()
    if low is not None and high is not None and low > high:
        raise ValidationFailed.on("max_price", "max_price must not be below min_price.")
    assert ordering is not None
    if ordering.field == "relevance" and terms is None:
        ordering = BY_NAME  # nothing to be relevant to: the name order
    return ProductFilter(
        terms=terms,
        store_id=_text(query.store_id),
        category=_text(query.category),
        brand=_text(query.brand),
        min_price=low,
        max_price=high,
        in_stock=query.in_stock,
        ordering=ordering,
    )


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _price(raw: str | None, parameter: str) -> Decimal | None:
    if raw is None or not raw.strip():
        return None
    try:
        return parse_amount(raw)
    except ValueError as exc:
        raise ValidationFailed.on(parameter, f"{parameter} {exc}.") from None


def _ordering(raw: str | None, default: str) -> Ordering:
    ordering = Ordering.parse(raw, PRODUCT_ORDERINGS, default)
    if ordering.field == "relevance" and ordering.descending:
        raise ValidationFailed.on("ordering", "relevance has one direction: best match first.")
    return ordering


class ListStores:
    def __init__(self, reader: StorefrontReader) -> None:
        self._reader = reader

    async def __call__(self, request: PageRequest, q: str | None, ordering: str | None) -> Page[Store]:
        order = Ordering.parse(ordering, STORE_ORDERINGS, "name")
        name = " ".join(q.split()) if q and q.strip() else None
        if name is not None and len(name) > 100:
            raise ValidationFailed.on("q", "Search text must be at most 100 characters.")
        return await self._reader.stores(request, name, order.descending)


class GetStore:
    def __init__(self, reader: StorefrontReader) -> None:
        self._reader = reader

    async def __call__(self, store_id: str) -> Store:
        store = await self._reader.store(store_id)
        if store is None:
            raise StoreNotFound(store_id)
        return store


class GetProduct:
    def __init__(self, reader: StorefrontReader) -> None:
        self._reader = reader

    async def __call__(self, store_id: str, product_id: str) -> Listing:
        listing = await self._reader.product(store_id, product_id)
        if listing is None:
            raise ProductNotFound(store_id, product_id)
        return listing


class SearchProducts:
    """``GET /products/``: filters, search and ordering; with ``save_search`` a signed-in caller's search is
    written to the search history as ``POST /search-history/`` would (query, category, results count)."""

    def __init__(self, reader: StorefrontReader, record_search: RecordSearch) -> None:
        self._reader = reader
        self._record_search = record_search

    async def __call__(self, request: PageRequest, query: ProductQuery, user_id: int | None) -> Page[Listing]:
        found = product_filter(query)
        page = await self._reader.products(request, found)
        if query.save_search and found.terms is not None and user_id is not None:
            command = RecordSearchCommand(found.terms.text, found.category, page.total_count)
            await self._record_search(user_id, command)
        return page
