"""Ports for orders: the order repository (with the stock and coupon ledgers it writes in the same
transaction) and the store behind idempotent replays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from s2cart.application.orders.views import OrderView
from s2cart.domain.catalog.coupon import Coupon
from s2cart.domain.orders.order import Order
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest


class OrderRepository(Protocol):
    async def add(self, order: Order) -> None:
        """Insert the order and its lines; ``order.id`` and the lines' ids are set."""
        ...

    async def get(self, user_id: int, order_id: int) -> Order | None:
        """The user's order, locked for update; another user's order is None."""
        ...

    async def find(self, reference: str) -> Order | None:
        """By id or order number, for operators; locked for update."""
        ...

    async def save_status(self, order: Order) -> None: ...

    async def placed_from_cart(self, user_id: int, cart_id: int) -> bool: ...

    async def next_number(self, day: datetime) -> int:
        """The next value of the day's order-number sequence (atomic; never repeats)."""
        ...

    async def take_stock(self, store_id: str, product_id: str, quantity: int) -> bool:
        """Take ``quantity`` if that many are left (or stock is not tracked); False changes nothing."""
        ...

    async def give_back_stock(self, store_id: str, product_id: str, quantity: int) -> None: ...

    async def lock_coupon(self, code: str) -> Coupon | None:
        """The coupon, locked so that its usage counts cannot change until the transaction ends."""
        ...

    async def coupon_uses(self, code: str, user_id: int) -> tuple[int, int]:
        """(all redemptions, this user's redemptions) of live (not cancelled) orders."""
        ...

    async def redeem_coupon(self, code: str, user_id: int, order_id: int, now: datetime) -> None: ...

    async def release_coupon(self, order_id: int) -> None: ...


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: str
    status_code: int | None
    body: bytes | None
    # Until when the claim that has not answered yet holds the key (None: answered, or a claim older than leases).
    lease_until: datetime | None = None

    @property
    def complete(self) -> bool:
        return self.status_code is not None


@dataclass(frozen=True)
class KeyClaim:
    """One request's hold on an idempotency key; ``token`` tells it from a later request that took the key over."""

    user_id: int
    scope: str
    key: str
    token: str


class IdempotencyStore(Protocol):
    async def claim(
        self, claim: KeyClaim, fingerprint: str, now: datetime, lease_until: datetime
    ) -> StoredResponse | None:
        """Hold the key for ``claim`` until ``lease_until``. None when the caller now holds it: the key is new, or
        its holder left it unanswered past its lease and ``fingerprint`` is the same (a takeover: of callers
        racing for it, exactly one gets None). Otherwise what is stored under it."""
        ...

    async def complete(self, claim: KeyClaim, status_code: int, body: bytes) -> bool:
        """Store the answer if ``claim`` still holds the key; False when another request took it over."""
        ...

    async def release(self, claim: KeyClaim) -> None:
        """Free the key if ``claim`` still holds it unanswered (a failed run; the client may retry)."""
        ...

    async def purge(self, before: datetime) -> int: ...


class OrderReader(Protocol):
    async def page(self, user_id: int, request: PageRequest, ordering: Ordering, status: str | None) -> Page[OrderView]:
        """A constant number of statements whatever the page holds."""
        ...

    async def one(self, user_id: int, order_id: int) -> OrderView | None: ...
