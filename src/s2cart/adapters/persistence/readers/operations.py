"""The operator's lists in SQLAlchemy Core: one statement a list, every customer's rows, newest first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.orders import orders
from s2cart.adapters.persistence.tables.payments import payment_transactions, payments
from s2cart.adapters.persistence.tables.support import support_tickets, ticket_messages
from s2cart.adapters.persistence.tables.users import users
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

_REFUNDING = ("REFUND_PENDING", "REFUNDED")


class SqlAlchemyOperatorReader(Reader):
    async def orders(self, filters: OrderFilter) -> list[OrderRow]:
        query = select(
            orders.c.id,
            orders.c.order_number,
            users.c.email,
            orders.c.status,
            orders.c.total_amount,
            orders.c.order_date,
            orders.c.paid_at,
        ).join(users, users.c.id == orders.c.user_id)
        if filters.status is not None:
            query = query.where(orders.c.status == filters.status)
        if filters.since is not None:
            query = query.where(orders.c.order_date >= filters.since)
        if filters.email_key is not None:
            query = query.where(users.c.email_key == filters.email_key)
        query = query.order_by(orders.c.order_date.desc(), orders.c.id.desc()).limit(filters.limit)
        return [OrderRow(**row._mapping) for row in await self._rows(query)]

    async def tickets(self, filters: TicketFilter) -> list[TicketRow]:
        count = (
            select(func.count())
            .select_from(ticket_messages)
            .where(ticket_messages.c.ticket_id == support_tickets.c.id)
            .scalar_subquery()
        )
        query = select(
            support_tickets.c.id,
            users.c.email,
            support_tickets.c.status,
            support_tickets.c.priority,
            support_tickets.c.category,
            support_tickets.c.subject,
            count.label("messages"),
            support_tickets.c.updated_at,
        ).join(users, users.c.id == support_tickets.c.user_id)
        if filters.status is not None:
            query = query.where(support_tickets.c.status == filters.status)
        query = query.order_by(support_tickets.c.updated_at.desc(), support_tickets.c.id.desc()).limit(filters.limit)
        return [TicketRow(**row._mapping) for row in await self._rows(query)]

    async def users(self, filters: UserFilter) -> list[UserRow]:
        query = select(
            users.c.id,
            users.c.email,
            users.c.username,
            users.c.is_verified,
            users.c.is_active,
            users.c.tier,
            users.c.failed_login_attempts,
            users.c.locked_until,
            users.c.date_joined,
            users.c.last_login,
        )
        if filters.unverified:
            query = query.where(users.c.is_verified.is_(False))
        if filters.locked_at is not None:
            query = query.where(users.c.locked_until > filters.locked_at)
        query = query.order_by(users.c.date_joined.desc(), users.c.id.desc()).limit(filters.limit)
        return [UserRow(**row._mapping) for row in await self._rows(query)]

    async def payments(self, filters: PaymentFilter) -> list[PaymentRow]:
        # The refund's amount is the one its request recorded (a refund may give back part of the payment).
        refund_amount = (
            select(payment_transactions.c.amount)
            .where(
                payment_transactions.c.payment_id == payments.c.id,
                payment_transactions.c.action == "refund",
                payment_transactions.c.status == "pending",
            )
            .order_by(payment_transactions.c.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        query = (
            select(
                payments.c.id,
                orders.c.order_number,
                users.c.email,
                payments.c.gateway,
                payments.c.status,
                payments.c.amount,
                refund_amount.label("refund_amount"),
                payments.c.gateway_order_id,
                payments.c.created_at,
            )
            .join(orders, orders.c.id == payments.c.order_id)
            .join(users, users.c.id == payments.c.user_id)
        )
        if filters.status is not None:
            query = query.where(payments.c.status == filters.status)
        if filters.gateway is not None:
            query = query.where(payments.c.gateway == filters.gateway)
        query = query.order_by(payments.c.created_at.desc(), payments.c.id.desc()).limit(filters.limit)
        rows = []
        for row in await self._rows(query):
            values = dict(row._mapping)
            refunded = values.pop("refund_amount")
            rows.append(PaymentRow(**values, refunded_amount=refunded if values["status"] in _REFUNDING else None))
        return rows

    async def _rows(self, query: Any) -> list[Any]:
        async with self.connect() as connection:
            return list((await connection.execute(query)).all())
