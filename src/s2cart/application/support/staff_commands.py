"""Staff commands behind the CLI: replying and moving a ticket along. Small enough to share a file."""

from __future__ import annotations

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.shared.ids import is_storable_id
from s2cart.domain.support import rules
from s2cart.domain.support.errors import TicketNotFound
from s2cart.domain.support.ticket import SupportTicket, TicketMessage, TicketStatus


class FindTicket:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, ticket_id: int) -> SupportTicket:
        async with self._uow() as uow:
            ticket = await uow.tickets.get(ticket_id) if is_storable_id(ticket_id) else None
        if ticket is None:
            raise TicketNotFound(f"No ticket {ticket_id}")
        return ticket


class ReplyToTicket:
    """A staff reply (``is_user_message`` false); on an OPEN ticket it moves the ticket to IN_PROGRESS.
    A CLOSED ticket takes no replies (SUP_001)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, ticket_id: int, text: str) -> tuple[SupportTicket, TicketMessage]:
        clean = rules.text_of(text, "message")
        async with self._uow() as uow:
            ticket = await uow.tickets.get(ticket_id) if is_storable_id(ticket_id) else None
            if ticket is None:
                raise TicketNotFound(f"No ticket {ticket_id}")
            message = ticket.staff_says(clean, self._clock.now())
            await uow.tickets.save(ticket)
            await uow.commit()
        return ticket, message


class SetTicketStatus:
    """Forward along OPEN -> IN_PROGRESS -> RESOLVED -> CLOSED, or RESOLVED back to IN_PROGRESS (SUP_002
    for anything else). Only a customer's message reopens a ticket."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, ticket_id: int, status: TicketStatus) -> SupportTicket:
        async with self._uow() as uow:
            ticket = await uow.tickets.get(ticket_id) if is_storable_id(ticket_id) else None
            if ticket is None:
                raise TicketNotFound(f"No ticket {ticket_id}")
            ticket.move_to(status, self._clock.now())
            await uow.tickets.save(ticket)
            await uow.commit()
        return ticket
