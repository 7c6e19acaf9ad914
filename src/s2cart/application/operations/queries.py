"""The operator's lists: orders, tickets, users and payments across all customers, filtered and bounded."""

from __future__ import annotations

from datetime import datetime

from s2cart.application.operations.views import (
    OrderFilter,
    OrderRow,
    PaymentFilter,
    PaymentRow,
    TicketFilter,
    TicketRow,
    UserFilter,
    UserRow,
)
from s2cart.application.ports.operations import OperatorReader
from s2cart.application.ports.system import Clock
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.users.rules import email_key

MAX_ROWS = 1000


def _checked_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_ROWS:
        raise ValidationFailed(f"limit must be between 1 and {MAX_ROWS}", errors={"limit": [str(limit)]})
    return limit


class ListAllOrders:
    def __init__(self, reader: OperatorReader) -> None:
        self._reader = reader

    async def __call__(
        self, status: str | None = None, since: datetime | None = None, email: str | None = None, limit: int = 50
    ) -> list[OrderRow]:
        key = email_key(email) if email else None
        return await self._reader.orders(OrderFilter(status, since, key, _checked_limit(limit)))


class ListAllTickets:
    def __init__(self, reader: OperatorReader) -> None:
        self._reader = reader

    async def __call__(self, status: str | None = None, limit: int = 50) -> list[TicketRow]:
        return await self._reader.tickets(TicketFilter(status, _checked_limit(limit)))


class ListUsers:
    """``locked`` means locked out of sign-in now (``locked_until`` in the future, on the clock)."""

    def __init__(self, reader: OperatorReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def __call__(self, unverified: bool = False, locked: bool = False, limit: int = 50) -> list[UserRow]:
        locked_at = self._clock.now() if locked else None
        return await self._reader.users(UserFilter(unverified, locked_at, _checked_limit(limit)))


class ListAllPayments:
    def __init__(self, reader: OperatorReader) -> None:
        self._reader = reader

    async def __call__(
        self, status: str | None = None, gateway: str | None = None, limit: int = 50
    ) -> list[PaymentRow]:
        return await self._reader.payments(PaymentFilter(status, gateway, _checked_limit(limit)))
