"""Reading support tickets: the caller's list (with messages) and one ticket in full."""

from __future__ import annotations

from s2cart.application.ports.support import TicketReader
from s2cart.application.support.views import TicketView
from s2cart.domain.shared.ids import is_storable_id
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest
from s2cart.domain.support.errors import TicketNotFound
from s2cart.domain.support.ticket import TicketStatus

TICKET_ORDERINGS = ("created_at", "updated_at", "status", "priority", "id")
DEFAULT_TICKET_ORDERING = "-updated_at"


class ListTickets:
    def __init__(self, reader: TicketReader) -> None:
        self._reader = reader

    async def __call__(
        self, user_id: int, request: PageRequest, status: TicketStatus | None = None, ordering: str | None = None
    ) -> Page[TicketView]:
        order = Ordering.parse(ordering, TICKET_ORDERINGS, DEFAULT_TICKET_ORDERING)
        return await self._reader.page(user_id, request, order, status)


class GetTicket:
    """Another user's ticket and an unknown id are the same 404."""

    def __init__(self, reader: TicketReader) -> None:
        self._reader = reader

    async def __call__(self, user_id: int, ticket_id: int) -> TicketView:
        found = await self._reader.one(user_id, ticket_id) if is_storable_id(ticket_id) else None
        if found is None:
            raise TicketNotFound()
        return found
