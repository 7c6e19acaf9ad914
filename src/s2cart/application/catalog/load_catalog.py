"""LoadCatalog: upsert a catalog document in one transaction (``s2cart catalog load``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from s2cart.application.catalog.catalog_document import CatalogDocument, CatalogDocumentInvalid
from s2cart.application.catalog.search_cache import CachedStorefront
from s2cart.application.ports.uow import UnitOfWorkFactory

# Products are written this many at a time, so a long load can tell how far it got.
CHUNK = 5_000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class LoadReport:
    stores: int
    products: int
    coupons: int


class LoadCatalog:
    """Write every entry of a checked document, or nothing.

    - Stores match by id, products by store and id, coupons by code: a match is updated (price, stock,
      name ...), anything else inserted, so loading the same file twice changes nothing.
    - Entries the document does not mention stay as they are; an optional field it leaves out is reset.
    - A product's store must be in the document or already in the catalog.
    - ``progress(written, total)`` hears about the products after each chunk (all in the one transaction).
    - After the commit this process's search cache (``listings``) is emptied, so its next searches read the new
      catalog; other processes' caches age out within their lifetime (S2CART_SEARCH_CACHE_SECONDS).
    """

    def __init__(self, uow: UnitOfWorkFactory, listings: CachedStorefront | None = None) -> None:
        self._uow = uow
        self._listings = listings

    async def __call__(self, document: CatalogDocument, progress: Progress | None = None) -> LoadReport:
        async with self._uow() as uow:
            listed = {store.id for store in document.stores}
            elsewhere = {p.store_id for p in document.products} - listed
            known = await uow.catalog.existing_store_ids(elsewhere) if elsewhere else set()
            orphans = [p for p in document.products if p.store_id in elsewhere - known]
            if orphans:
                raise CatalogDocumentInvalid(
                    {
                        f"products ({p.store_id}/{p.id})": [
                            f"store_id: no store '{p.store_id}' in the file or the catalog"
                        ]
                        for p in orphans
                    }
                )
            await uow.catalog.upsert_stores(document.stores)
            total = len(document.products)
            for start in range(0, total, CHUNK):
                await uow.catalog.upsert_products(document.products[start : start + CHUNK])
                if progress is not None:
                    progress(min(start + CHUNK, total), total)
            await uow.catalog.upsert_coupons(document.coupons)
            await uow.commit()
        if self._listings is not None:
            self._listings.clear()
        return LoadReport(len(document.stores), len(document.products), len(document.coupons))
