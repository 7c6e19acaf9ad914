"""Support tickets with their messages, in SQLAlchemy Core: a count, a page and one query for the messages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.support import support_tickets, ticket_messages
from s2cart.application.support.views import TicketMessageView, TicketView
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest
from s2cart.domain.support.ticket import TicketPriority, TicketStatus

_TICKET_COLUMNS = (
    support_tickets.c.id,
    support_tickets.c.subject,
    support_tickets.c.description,
    support_tickets.c.status,
    support_tickets.c.priority,
    support_tickets.c.category,
    support_tickets.c.created_at,
    support_tickets.c.updated_at,
)
_MESSAGE_COLUMNS = (
    ticket_messages.c.id,
    ticket_messages.c.ticket_id,
    ticket_messages.c.message,
    ticket_messages.c.is_user_message,
    ticket_messages.c.sent_at,
    ticket_messages.c.attachment_url,
)


def _rank(column: ColumnElement[Any], values: Sequence[str]) -> ColumnElement[Any]:
    """Sort an enum column in its meaning's order (LOW < MEDIUM < HIGH), not alphabetically."""
    return case({value: rank for rank, value in enumerate(values)}, value=column, else_=len(values))


_ORDER_COLUMNS: dict[str, ColumnElement[Any]] = {
    "created_at": support_tickets.c.created_at,
    "updated_at": support_tickets.c.updated_at,
    "status": _rank(support_tickets.c.status, [s.value for s in TicketStatus]),
    "priority": _rank(support_tickets.c.priority, [p.value for p in TicketPriority]),
    "id": support_tickets.c.id,
}


class SqlAlchemyTicketReader(Reader):
    async def page(
        self, user_id: int, request: PageRequest, ordering: Ordering, status: TicketStatus | None
    ) -> Page[TicketView]:
        where = [support_tickets.c.user_id == user_id]
        if status is not None:
            where.append(support_tickets.c.status == status.value)
        column = _ORDER_COLUMNS[ordering.field]
        query = (
            select(*_TICKET_COLUMNS)
            .where(*where)
            .order_by(column.desc() if ordering.descending else column.asc(), support_tickets.c.id.desc())
            .offset(request.offset)
            .limit(request.limit)
        )
        count = select(func.count()).select_from(support_tickets).where(*where)
        async with self.connect() as connection:
            total = int((await connection.execute(count)).scalar_one())
            rows = (await connection.execute(query)).all()
            tickets = await _with_messages(connection, rows)
        return Page(items=tickets, total_count=total, request=request)

    async def one(self, user_id: int, ticket_id: int) -> TicketView | None:
        query = select(*_TICKET_COLUMNS).where(support_tickets.c.id == ticket_id, support_tickets.c.user_id == user_id)
        async with self.connect() as connection:
            rows = (await connection.execute(query)).all()
            tickets = await _with_messages(connection, rows)
        return tickets[0] if tickets else None


async def _with_messages(connection: AsyncConnection, rows: Sequence[Any]) -> list[TicketView]:
    if not rows:
        return []
    query = (
        select(*_MESSAGE_COLUMNS)
        .where(ticket_messages.c.ticket_id.in_([row.id for row in rows]))
        .order_by(ticket_messages.c.sent_at, ticket_messages.c.id)
    )
    by_ticket: dict[int, list[TicketMessageView]] = defaultdict(list)
    for message in await connection.execute(query):
        by_ticket[message.ticket_id].append(
            TicketMessageView(
                id=message.id,
                message=message.message,
                is_user_message=message.is_user_message,
                sent_at=message.sent_at,
                attachment_url=message.attachment_url,
            )
        )
    return [TicketView(**row._mapping, messages=by_ticket[row.id]) for row in rows]
