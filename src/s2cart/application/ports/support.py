"""Repository of support tickets."""

from __future__ import annotations

from typing import Protocol

from s2cart.domain.support.ticket import SupportTicket


class SupportTicketRepository(Protocol):
    async def add(self, ticket: SupportTicket) -> None:
        """Store a new ticket with its messages; ids are assigned."""
        ...

    async def get(self, ticket_id: int) -> SupportTicket | None:
        """The ticket with its messages, locked until the transaction ends (status changes take turns)."""
        ...

    async def save(self, ticket: SupportTicket) -> None:
        """Write changes to a ticket from ``get``; new messages get their ids."""
        ...
