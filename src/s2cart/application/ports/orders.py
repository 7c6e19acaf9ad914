"""Ports for orders: the order repository (with the stock and coupon ledgers it writes in the same
transaction) and the store behind idempotent replays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from s2cart.domain.catalog.coupon import Coupon
from s2cart.domain.orders.order import Order


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

    @property
    def complete(self) -> bool:
        return self.status_code is not None


class IdempotencyStore(Protocol):
    async def claim(self, user_id: int, scope: str, key: str, fingerprint: str, now: datetime) -> StoredResponse | None:
        """Reserve the key; None when it is new (the caller goes on), else what is stored under it."""
        ...

    async def complete(self, user_id: int, scope: str, key: str, status_code: int, body: bytes) -> None: ...

    async def release(self, user_id: int, scope: str, key: str) -> None: ...

    async def purge(self, before: datetime) -> int: ...
