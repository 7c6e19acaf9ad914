"""The reader behind the operator's lists: every customer's rows, newest first, at most ``limit`` of them."""

from __future__ import annotations

from typing import Protocol

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


class OperatorReader(Protocol):
    async def orders(self, filters: OrderFilter) -> list[OrderRow]:
        """Newest order first (by order date, then id)."""
        ...

    async def tickets(self, filters: TicketFilter) -> list[TicketRow]:
        """Most recently updated first."""
        ...

    async def users(self, filters: UserFilter) -> list[UserRow]:
        """Newest account first."""
        ...

    async def payments(self, filters: PaymentFilter) -> list[PaymentRow]:
        """Newest attempt first."""
        ...
