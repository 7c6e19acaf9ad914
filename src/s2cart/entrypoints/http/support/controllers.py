from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from s2cart.application.auth.principal import Principal
from s2cart.application.support.add_ticket_message import AddTicketMessage, TicketMessageCommand
from s2cart.application.support.open_ticket import OpenTicket, OpenTicketCommand
from s2cart.application.support.queries import TICKET_ORDERINGS, GetTicket, ListTickets
from s2cart.domain.shared.pagination import PageRequest
from s2cart.domain.support.errors import TicketClosed, TicketNotFound
from s2cart.domain.support.ticket import TicketStatus
from s2cart.entrypoints.http.answers import errors
from s2cart.entrypoints.http.envelope import Paginated, Success, success
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.limits import HOUR, limit
from s2cart.entrypoints.http.pagination import paginated
from s2cart.entrypoints.http.principal import SECURITY
from s2cart.entrypoints.http.support.schemas import (
    TicketIn,
    TicketMessageIn,
    TicketMessageOut,
    TicketOut,
    message_out,
    ticket_out,
)

StatusFilter = Annotated[TicketStatus | None, QueryParameter(description="only tickets in this status")]
Ordering = Annotated[
    str | None,
    QueryParameter(description=f"{', '.join(TICKET_ORDERINGS)}; '-' for descending (default: -updated_at)"),
]


class SupportController(Controller):
    path = "/support/tickets"
    tags = ["Support"]
    security = SECURITY

    @get("/", summary="The caller's tickets, each with its messages", opt=errors())
    async def list_tickets(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        page_request: NamedDependency[PageRequest],
        list_tickets: Inject[ListTickets],
        status: StatusFilter = None,
        ordering: Ordering = None,
    ) -> Paginated[TicketOut]:
        """The caller's support tickets, newest first, each with its messages; paginated."""
        page = await list_tickets(principal.user_id, page_request, status, ordering)
        return paginated(
            request, replace(page, items=[ticket_out(t) for t in page.items]), f"Found {page.total_count} tickets"
        )

    @post(
        "/",
        status_code=201,
        summary="Open a ticket (its description is the first message)",
        opt=limit(10, HOUR, "support", "user") | errors(),
    )
    async def open_ticket(
        self,
        data: JSONBody[TicketIn],
        principal: NamedDependency[Principal],
        open_ticket: Inject[OpenTicket],
    ) -> Success[TicketOut]:
        """Open a support ticket (subject, category, optional order); its description is its first message."""
        command = OpenTicketCommand(
            subject=data.subject, description=data.description, category=data.category, priority=data.priority
        )
        ticket = await open_ticket(principal.user_id, command)
        return success(ticket_out(ticket), "Support ticket created successfully", code=201)

    @get("/{ticket_id:int}/", summary="One ticket with its messages in order", opt=errors(TicketNotFound))
    async def get_ticket(
        self, ticket_id: FromPath[int], principal: NamedDependency[Principal], get_ticket: Inject[GetTicket]
    ) -> Success[TicketOut]:
        """One of the caller's tickets with its messages, oldest first (another user's is a 404)."""
        ticket = await get_ticket(principal.user_id, ticket_id)
        return success(ticket_out(ticket), "Ticket retrieved successfully")

    @post(
        "/{ticket_id:int}/messages/",
        status_code=201,
        summary="Write on a ticket (reopens a resolved one)",
        opt=limit(50, HOUR, "support", "user") | errors(TicketNotFound, TicketClosed),
    )
    async def add_message(
        self,
        ticket_id: FromPath[int],
        data: JSONBody[TicketMessageIn],
        principal: NamedDependency[Principal],
        add_ticket_message: Inject[AddTicketMessage],
    ) -> Success[TicketMessageOut]:
        """Write on one of the caller's tickets; a RESOLVED ticket is reopened, a CLOSED one refuses (409 SUP_001)."""
        command = TicketMessageCommand(message=data.message, attachment_url=data.attachment_url)
        message = await add_ticket_message(principal.user_id, ticket_id, command)
        return success(message_out(message), "Message added to ticket", code=201)
