"""AddTicketMessage: the customer writes on one of their tickets."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.shared.errors import ErrorCollector
from s2cart.domain.shared.ids import is_storable_id
from s2cart.domain.support import rules
from s2cart.domain.support.errors import TicketNotFound
from s2cart.domain.support.ticket import TicketMessage


@dataclass(frozen=True)
class TicketMessageCommand:
    message: str
    attachment_url: str | None = None


class AddTicketMessage:
    """- ``message`` 1-5000 characters; ``attachment_url`` optional, https only, stored and never fetched.
    - A message on a RESOLVED or CLOSED ticket reopens it (OPEN); on other states the status stays.
    - Another user's ticket and an unknown id are the same 404."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, ticket_id: int, cmd: TicketMessageCommand) -> TicketMessage:
        found = ErrorCollector()
        text = found.check(lambda: rules.text_of(cmd.message, "message"))
        attachment = found.check(lambda: rules.attachment_url_of(cmd.attachment_url))
        found.raise_if_any()
        assert text is not None
        if not is_storable_id(ticket_id):
            raise TicketNotFound()
        async with self._uow() as uow:
            ticket = await uow.tickets.get(ticket_id)
            if ticket is None or ticket.user_id != user_id:
                raise TicketNotFound()
            message = ticket.customer_says(text, attachment, self._clock.now())
            await uow.tickets.save(ticket)
            await uow.commit()
        return message
