"""Carts: the aggregate's repository (writes) and the reader behind the cart pages (reads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from s2cart.application.carts.views import CartItemView, CartView
from s2cart.domain.carts.cart_book import CartBook
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store


class CartBookRepository(Protocol):
    async def get(self, user_id: int) -> CartBook:
        """The user's carts with their lines, locked until the unit of work ends, so that concurrent
        changes to one user's carts apply one after another (the five-cart limit and line merging
        hold under concurrency). An unknown user is NotFound."""
        ...

    async def get_for_adding(
        self, user_id: int, store_id: str, product_id: str
    ) -> tuple[CartBook, Store | None, Product | None]:
        """``get``, plus the store and the product as the catalog has them (an unknown store is ``None, None``, a
        product the store does not sell ``None``): what adding an item reads, which the SQL adapter reads in the
        lock's own statement (decision 0041). The catalog rows are not locked."""
        ...

    async def save(self, book: CartBook) -> None:
        """Write what changed; new carts and lines get their ids."""
        ...


@dataclass(frozen=True, slots=True)
class LineMerge:
    """``quantity`` more units of ``product_id`` in ``variant`` for the user's cart at ``store_id``, at ``now``;
    a line may hold at most ``max_quantity``."""

    user_id: int
    store_id: str
    product_id: str
    variant: Variant
    quantity: int
    max_quantity: int
    now: datetime


class CartLineMerge(Protocol):
    """Add-item's common case without the unit of work (decision 0048)."""

    async def merge(self, request: LineMerge) -> CartItemView | None:
        """Add the request's units to the line of its product and variant in the user's cart for the store, at the
        catalog's current price, name and image, touching the cart, all at ``now`` and in one transaction under the
        user's lock (as ``CartBookRepository.get`` takes it), when every rule of ``CartBook.add_item`` would accept
        the merge: the line exists, store and product are active, the line stays within ``max_quantity`` and the
        product's units in the cart within its stock. The line as it now is; ``None`` (and nothing changed)
        otherwise, when the caller takes the domain's path, which refuses or opens the line or the cart."""
        ...


class CartReader(Protocol):
    """Reads straight into views, in a number of queries that does not grow with carts or lines."""

    async def carts_of(self, user_id: int) -> list[CartView]: ...

    async def cart_for_store(self, user_id: int, store_id: str) -> CartView | None: ...
