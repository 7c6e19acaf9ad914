"""Repository of support tickets."""

from __future__ import annotations

from typing import Protocol

from s2cart.application.support.views import TicketView
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest
from s2cart.domain.support.ticket import SupportTicket, TicketStatus


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


class TicketReader(Protocol):
    async def page(
        self, user_id: int, request: PageRequest, ordering: Ordering, status: TicketStatus | None
    ) -> Page[TicketView]:
        """Each ticket with its messages in the order they were written; ties broken by id, newest first."""
        ...

    async def one(self, user_id: int, ticket_id: int) -> TicketView | None: ...
