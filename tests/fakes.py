"""Hand-written fakes for the application ports: state you can assert on, no I/O."""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

from s2cart.application.carts.views import CartView
from s2cart.application.ports.outbox import OutboxMessage
from s2cart.application.ports.system import CacheState
from s2cart.domain.carts.cart_book import CartBook
from s2cart.domain.catalog.coupon import Coupon
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import NotFound


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 1, 20, 10, 30, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class FakeDatabaseProbe:
    def __init__(self, reachable: bool = True, hang: bool = False) -> None:
        self.reachable = reachable
        self.hang = hang
        self.calls = 0

    async def is_reachable(self) -> bool:
        import asyncio

        self.calls += 1
        if self.hang:
            await asyncio.sleep(3600)
        return self.reachable


class FakeCacheProbe:
    def __init__(self, state: CacheState = "operational") -> None:
        self._state: CacheState = state

    async def state(self) -> CacheState:
        return self._state


class FakeOutbox:
    def __init__(self) -> None:
        self.messages: list[OutboxMessage] = []

    async def add(self, message: OutboxMessage) -> None:
        message.id = len(self.messages) + 1
        self.messages.append(message)

    async def count_pending(self) -> int:
        return sum(1 for m in self.messages if m.delivered_at is None)


class FakeCatalog:
    def __init__(self) -> None:
        self.stores: dict[str, Store] = {}
        self.products: dict[tuple[str, str], Product] = {}
        self.coupons: dict[str, Coupon] = {}

    async def store(self, store_id: str) -> Store | None:
        return self.stores.get(store_id)

    async def product(self, store_id: str, product_id: str) -> Product | None:
        return self.products.get((store_id, product_id))

    async def coupon(self, code: str) -> Coupon | None:
        return self.coupons.get(code)

    async def existing_store_ids(self, store_ids: Collection[str]) -> set[str]:
        return set(store_ids) & set(self.stores)

    async def upsert_stores(self, stores: Sequence[Store]) -> None:
        self.stores.update({store.id: store for store in stores})

    async def upsert_products(self, products: Sequence[Product]) -> None:
        self.products.update({(p.store_id, p.id): p for p in products})

    async def upsert_coupons(self, coupons: Sequence[Coupon]) -> None:
        self.coupons.update({coupon.code: coupon for coupon in coupons})


class FakeCartBooks:
    """Books by user; get() hands out a copy, so only save() (and the commit around it) changes them."""

    def __init__(self, users: Collection[int] = (1, 2)) -> None:
        self.users = set(users)
        self.books: dict[int, CartBook] = {}
        self.last_id = 0

    async def get(self, user_id: int) -> CartBook:
        if user_id not in self.users:
            raise NotFound("User not found")
        return copy.deepcopy(self.books.get(user_id, CartBook(user_id)))

    async def save(self, book: CartBook) -> None:
        for cart in book.carts:
            for thing in (cart, *cart.items):
                if thing.id is None:
                    self.last_id += 1
                    thing.id = self.last_id
        self.books[book.user_id] = copy.deepcopy(book)


class FakeCartReader:
    """Reads what the unit of work committed, the way the SQL reader does."""

    def __init__(self, books: FakeCartBooks) -> None:
        self._books = books

    async def carts_of(self, user_id: int) -> list[CartView]:
        book = self._books.books.get(user_id, CartBook(user_id))
        return [CartView.of(cart) for cart in book.carts]

    async def cart_for_store(self, user_id: int, store_id: str) -> CartView | None:
        return next((cart for cart in await self.carts_of(user_id) if cart.store_id == store_id), None)


class FakeUnitOfWork:
    """Keeps what was committed; what was staged without commit is dropped on exit."""

    def __init__(self) -> None:
        self.outbox = FakeOutbox()
        self.catalog = FakeCatalog()
        self.carts = FakeCartBooks()
        self.committed = False
        self._snapshot: list[OutboxMessage] = []
        self._areas = self._copy_areas()

    def __call__(self) -> Self:
        """The fake is its own factory: every use case's unit of work shares its state."""
        return self

    async def __aenter__(self) -> Self:
        self._snapshot = list(self.outbox.messages)
        self._areas = self._copy_areas()
        self.committed = False
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.committed:
            self.outbox.messages = self._snapshot
            self._restore_areas()

    async def commit(self) -> None:
        self.committed = True
        self._snapshot = list(self.outbox.messages)
        self._areas = self._copy_areas()

    async def rollback(self) -> None:
        self.outbox.messages = list(self._snapshot)
        self._restore_areas()

    def _copy_areas(self) -> tuple[FakeCatalog, FakeCartBooks]:
        return copy.deepcopy((self.catalog, self.carts))

    def _restore_areas(self) -> None:
        # In place, so a fake reader holding a repository keeps seeing the live one.
        for live, saved in zip((self.catalog, self.carts), self._areas, strict=True):
            live.__dict__.update(copy.deepcopy(saved.__dict__))
