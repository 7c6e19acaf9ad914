"""OpenTicket: a customer raises a support ticket."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.shared.errors import ErrorCollector
from s2cart.domain.support import rules
from s2cart.domain.support.ticket import SupportTicket, TicketCategory, TicketPriority


@dataclass(frozen=True)
class OpenTicketCommand:
    subject: str
    description: str
    category: TicketCategory
    priority: TicketPriority = TicketPriority.MEDIUM


class OpenTicket:
    """- ``subject`` 1-200 and ``description`` 1-5000 characters; all problems are reported at once.
    - The ticket starts OPEN; its description is also its first message, from the customer.
    - Status, ids and owner are never taken from the client."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, cmd: OpenTicketCommand) -> SupportTicket:
        found = ErrorCollector()
        subject = found.check(lambda: rules.subject_of(cmd.subject))
        description = found.check(lambda: rules.text_of(cmd.description, "description"))
        found.raise_if_any()
        assert subject is not None and description is not None
        ticket = SupportTicket.open(user_id, subject, description, cmd.category, cmd.priority, self._clock.now())
        async with self._uow() as uow:
            await uow.tickets.add(ticket)
            await uow.commit()
        return ticket
