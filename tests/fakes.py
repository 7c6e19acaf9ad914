"""Hand-written fakes for the application ports: state you can assert on, no I/O."""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from s2cart.application.carts.views import CartView
from s2cart.application.ports.outbox import OutboxMessage
from s2cart.application.ports.system import CacheState
from s2cart.domain.addresses.address import Address
from s2cart.domain.addresses.address_book import AddressBook
from s2cart.domain.carts.cart_book import CartBook
from s2cart.domain.catalog.coupon import Coupon
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.search.history import SearchEntry
from s2cart.domain.shared.errors import NotFound
from s2cart.domain.support.ticket import SupportTicket


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
        message.next_attempt_at = message.next_attempt_at or message.created_at  # due at once, as the table's
        self.messages.append(message)

    async def count_pending(self) -> int:
        return sum(1 for m in self.messages if m.delivered_at is None)

    # Changes below replace the stored message rather than edit it, so a unit of work's snapshot (a copy of
    # the list) still holds what was committed.

    def _put(self, message_id: int, **changes: Any) -> OutboxMessage:
        index = next(i for i, m in enumerate(self.messages) if m.id == message_id)
        self.messages[index] = replace(self.messages[index], **changes)
        return self.messages[index]

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int, ids: Sequence[int] | None = None
    ) -> list[OutboxMessage]:
        due = [
            m
            for m in self.messages
            if m.delivered_at is None
            and m.next_attempt_at is not None
            and m.next_attempt_at <= now
            and (ids is None or m.id in ids)
        ][:limit]
        return [copy.copy(self._put(m.id, next_attempt_at=lease_until)) for m in due if m.id is not None]

    async def mark_delivered(self, message_id: int, now: datetime, scrubbed: Mapping[str, Any]) -> None:
        stored = next(m for m in self.messages if m.id == message_id)
        self._put(
            message_id,
            delivered_at=now,
            next_attempt_at=None,
            payload=dict(scrubbed),
            attempts=stored.attempts + 1,
            last_error=None,
        )

    async def mark_failed(self, message_id: int, attempts: int, next_attempt_at: datetime | None, error: str) -> None:
        self._put(message_id, attempts=attempts, next_attempt_at=next_attempt_at, last_error=error)


class FakeCatalog:
    def __init__(self) -> None:
        self.stores: dict[str, Store] = {}
        self.products: dict[tuple[str, str], Product] = {}
        self.coupons: dict[str, Coupon] = {}

    async def store(self, store_id: str) -> Store | None:
        return self.stores.get(store_id)

    async def product(self, store_id: str, product_id: str) -> Product | None:
        return self.products.get((store_id, product_id))

    async def store_with_product(self, store_id: str, product_id: str) -> tuple[Store | None, Product | None]:
        store = self.stores.get(store_id)
        return store, (None if store is None else self.products.get((store_id, product_id)))

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

    def __init__(self, users: Collection[int] = (1, 2), catalog: FakeCatalog | None = None) -> None:
        self.users = set(users)
        self.books: dict[int, CartBook] = {}
        self.last_id = 0
        self.catalog = catalog or FakeCatalog()

    async def get_for_adding(
        self, user_id: int, store_id: str, product_id: str
    ) -> tuple[CartBook, Store | None, Product | None]:
        book = await self.get(user_id)
        store, product = await self.catalog.store_with_product(store_id, product_id)
        return book, store, product

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

    def __init__(self, books: FakeCartBooks, now: datetime | None = None) -> None:
        self._books = books
        self._now = now

    async def carts_of(self, user_id: int) -> list[CartView]:
        book = self._books.books.get(user_id, CartBook(user_id))
        now = self._now or datetime.now(UTC)  # the SQL reader's clock is the system's too
        return [CartView.of(cart, now) for cart in book.carts]

    async def cart_for_store(self, user_id: int, store_id: str) -> CartView | None:
        return next((cart for cart in await self.carts_of(user_id) if cart.store_id == store_id), None)


class FakeUnitOfWork:
    """Keeps what was committed; what was staged without commit is dropped on exit."""

    def __init__(self) -> None:
        self.outbox = FakeOutbox()
        self.catalog = FakeCatalog()
        self.carts = FakeCartBooks(catalog=self.catalog)
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
        self.carts.catalog = self.catalog  # the copy above detached it


class FakeAddressBooks:
    """Books by user; ``get`` hands out a copy, so only ``save`` (and the commit around it) changes them."""

    def __init__(self) -> None:
        self.books: dict[int, AddressBook] = {}
        self.last_id = 0

    async def get(self, user_id: int) -> AddressBook:
        return copy.deepcopy(self.books.get(user_id, AddressBook(user_id)))

    async def save(self, book: AddressBook) -> None:
        for address in book.addresses:
            if address.id is None:
                self.last_id += 1
                address.id = self.last_id
        book.removed.clear()
        defaults = [a for a in book.addresses if a.is_default]
        assert len(defaults) <= 1, "the partial unique index would refuse a second default"
        self.books[book.user_id] = copy.deepcopy(book)

    async def owned(self, user_id: int, address_id: int) -> Address | None:
        book = self.books.get(user_id, AddressBook(user_id))
        return copy.deepcopy(next((a for a in book.addresses if a.id == address_id), None))


class FakeSearchHistory:
    def __init__(self) -> None:
        self.entries: list[SearchEntry] = []
        self.last_id = 0

    def of(self, user_id: int) -> list[SearchEntry]:
        """The user's entries, newest first."""
        mine = [e for e in self.entries if e.user_id == user_id]
        return sorted(mine, key=lambda e: (e.searched_at, e.id or 0), reverse=True)

    async def latest(self, user_id: int) -> SearchEntry | None:
        return next(iter(self.of(user_id)), None)

    async def add(self, entry: SearchEntry) -> None:
        self.last_id += 1
        entry.id = self.last_id
        self.entries.append(entry)

    async def count(self, user_id: int) -> int:
        return len(self.of(user_id))

    async def drop_oldest(self, user_id: int, how_many: int) -> None:
        doomed = {id(e) for e in self.of(user_id)[::-1][:how_many]}
        self.entries = [e for e in self.entries if id(e) not in doomed]

    async def clear(self, user_id: int) -> int:
        before = len(self.entries)
        self.entries = [e for e in self.entries if e.user_id != user_id]
        return before - len(self.entries)


class FakeTickets:
    def __init__(self) -> None:
        self.tickets: dict[int, SupportTicket] = {}
        self.last_id = 0

    async def add(self, ticket: SupportTicket) -> None:
        self.last_id += 1
        ticket.id = self.last_id
        await self.save(ticket)

    async def get(self, ticket_id: int) -> SupportTicket | None:
        return copy.deepcopy(self.tickets.get(ticket_id))

    async def save(self, ticket: SupportTicket) -> None:
        assert ticket.id is not None
        for message in ticket.messages:
            if message.id is None:
                self.last_id += 1
                message.id = self.last_id
                message.ticket_id = ticket.id
        self.tickets[ticket.id] = copy.deepcopy(ticket)


class FakeCustomerUnitOfWork(FakeUnitOfWork):
    """The unit of work with the address book, search history and support tickets: what was not committed
    is dropped on exit. The fake is its own factory, so every use case's unit shares its state."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses = FakeAddressBooks()
        self.search_history = FakeSearchHistory()
        self.tickets = FakeTickets()
        self._customer_state = self._copy_customer_state()

    def __call__(self) -> Self:
        return self

    async def __aenter__(self) -> Self:
        self._customer_state = self._copy_customer_state()
        return await super().__aenter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.committed:
            self._restore_customer_state()
        await super().__aexit__(exc_type, exc, tb)

    async def commit(self) -> None:
        await super().commit()
        self._customer_state = self._copy_customer_state()

    async def rollback(self) -> None:
        await super().rollback()
        self._restore_customer_state()

    def _copy_customer_state(self) -> tuple[FakeAddressBooks, FakeSearchHistory, FakeTickets]:
        return copy.deepcopy((self.addresses, self.search_history, self.tickets))

    def _restore_customer_state(self) -> None:
        for live, saved in zip((self.addresses, self.search_history, self.tickets), self._customer_state, strict=True):
            live.__dict__.update(copy.deepcopy(saved.__dict__))


class RecordingPaymentMetrics:
    """The ``PaymentMetrics`` port as a list of what was counted, in order."""

    def __init__(self) -> None:
        self.counted: list[tuple[str, ...]] = []

    def payment_settled(self, gateway: str, state: str) -> None:
        self.counted.append(("settled", gateway, state))

    def callback_rejected(self, gateway: str, reason: str) -> None:
        self.counted.append(("rejected", gateway, str(reason)))

    def refund_changed(self, gateway: str, state: str) -> None:
        self.counted.append(("refund", gateway, state))

    def reconcile_finished(self) -> None:
        self.counted.append(("reconciled",))
