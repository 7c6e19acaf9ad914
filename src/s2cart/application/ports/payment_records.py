"""Ports for payment attempts, the notifications gateways send about them, and saved payment methods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from s2cart.domain.payments.methods import PaymentMethodBook
from s2cart.domain.payments.payment import Payment


@dataclass(frozen=True)
class Notification:
    """A gateway notification as it was judged; the signature itself is never kept."""

    gateway: str
    gateway_order_id: str
    result: str  # applied, already_processed, ignored, unconfirmed, mismatch
    received_at: datetime
    payment_id: int | None = None
    claimed: str | None = None
    amount: Decimal | None = None
    gateway_txn_id: str | None = None
    detail: str | None = None


class PaymentRepository(Protocol):
    async def add(self, payment: Payment) -> None:
        """Insert the attempt and its records; sets ``payment.id`` and the records' ids."""
        ...

    async def save(self, payment: Payment) -> None:
        """Write the attempt's fields and insert its new records."""
        ...

    async def of_order(self, order_id: int) -> list[Payment]:
        """Every attempt of the order, oldest first, locked until the transaction ends."""
        ...

    async def get(self, payment_id: int) -> Payment | None:
        """One attempt, not locked (lock through ``of_order`` before changing it)."""
        ...

    async def find(self, gateway: str, gateway_order_id: str) -> Payment | None:
        """The attempt a gateway knows by this id, not locked."""
        ...

    async def due_for_check(self, now: datetime, limit: int) -> list[int]:
        """Watched attempts whose next check is due, most overdue first."""
        ...

    async def refunds_to_request(self, limit: int) -> list[int]:
        """Captured attempts owed back (flagged, or of a cancelled order) and not yet asked for."""
        ...

    async def refunds_pending(self, limit: int) -> list[int]: ...

    async def record_notification(self, notification: Notification) -> None: ...


class PaymentMethodRepository(Protocol):
    async def get(self, user_id: int) -> PaymentMethodBook:
        """The user's saved methods, with the user locked so parallel changes run one after another."""
        ...

    async def save(self, book: PaymentMethodBook) -> None:
        """Write added, changed and removed methods; sets new methods' ids."""
        ...
