"""The catalog: stores, their products (price, stock, image) and coupons.

It takes part in the unit of work (``uow.catalog``): a cart change reads prices and stock on the same
connection and in the same transaction as it writes, checkout will take stock in the transaction that
creates the order, and a catalog load commits all of its entries at once or none.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from s2cart.domain.catalog.coupon import Coupon
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store


class Catalog(Protocol):
    async def store(self, store_id: str) -> Store | None: ...

    async def product(self, store_id: str, product_id: str) -> Product | None: ...

    async def store_with_product(self, store_id: str, product_id: str) -> tuple[Store | None, Product | None]:
        """``store(store_id)`` and ``product(store_id, product_id)`` in one look-up: ``(None, None)`` for an
        unknown store, ``(store, None)`` for a product the store does not sell."""
        ...

    async def coupon(self, code: str) -> Coupon | None:
        """Looked up by the normalized (upper-case) code."""
        ...

    async def existing_store_ids(self, store_ids: Collection[str]) -> set[str]: ...

    async def upsert_stores(self, stores: Sequence[Store]) -> None: ...

    async def upsert_products(self, products: Sequence[Product]) -> None: ...

    async def upsert_coupons(self, coupons: Sequence[Coupon]) -> None: ...
