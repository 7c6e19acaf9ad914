from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.support import support_tickets
from s2cart.domain.support.ticket import SupportTicket


class SqlAlchemySupportTicketRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, ticket: SupportTicket) -> None:
        self._session.add(ticket)
        await self._session.flush()

    async def get(self, ticket_id: int) -> SupportTicket | None:
        # FOR UPDATE: a customer's message and a staff status change on one ticket take turns.
        result = await self._session.execute(
            select(SupportTicket).where(support_tickets.c.id == ticket_id).with_for_update(of=support_tickets)
        )
        return result.scalar_one_or_none()

    async def save(self, ticket: SupportTicket) -> None:
        await self._session.flush()
