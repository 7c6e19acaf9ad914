"""Payment attempts: the attempt and its history mapped (``mappers.map_payments``); the backlogs' id lists
and the gateways' notifications are single statements (decision 0031)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.orders import orders
from s2cart.adapters.persistence.tables.payments import payment_notifications, payments
from s2cart.application.ports.payment_records import Notification
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.payment import WATCHED_STATES, Payment, PaymentState


class SqlAlchemyPaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, payment: Payment) -> None:
        self._session.add(payment)
        await self._session.flush()  # payment.id and its records' ids are set

    async def save(self, payment: Payment) -> None:
        assert payment.id is not None
        self._session.add(payment)  # already here when this unit of work loaded it
        await self._session.flush()  # what changed, and the records added since

    async def of_order(self, order_id: int) -> list[Payment]:
        # FOR NO KEY UPDATE: writers of one order's attempts queue here (after the order's own lock),
        # while notifications can still reference an attempt (their foreign key takes KEY SHARE).
        query = select(Payment).where(payments.c.order_id == order_id).order_by(payments.c.id)
        return await self._load(query.with_for_update(key_share=True))

    async def get(self, payment_id: int) -> Payment | None:
        found = await self._load(select(Payment).where(payments.c.id == payment_id))
        return found[0] if found else None

    async def find(self, gateway: str, gateway_order_id: str) -> Payment | None:
        query = select(Payment).where(payments.c.gateway == gateway, payments.c.gateway_order_id == gateway_order_id)
        found = await self._load(query)
        return found[0] if found else None

    async def _load(self, query: Select[tuple[Payment]]) -> list[Payment]:
        # Read as found now (a locking read sees what the lock waited for), also for attempts loaded before.
        result = await self._session.execute(query.execution_options(populate_existing=True))
        return list(result.scalars())

    async def due_for_check(self, now: datetime, limit: int) -> list[int]:
        query = (
            select(payments.c.id)
            .where(
                payments.c.next_check_at <= now,
                payments.c.status.in_([s.value for s in WATCHED_STATES]),
            )
            .order_by(payments.c.next_check_at, payments.c.id)
            .limit(limit)
        )
        return [int(r) for r in (await self._session.execute(query)).scalars()]

    async def refunds_to_request(self, limit: int) -> list[int]:
        owed: ColumnElement[bool] = or_(payments.c.refund_due.is_(True), orders.c.status == OrderStatus.CANCELLED.value)
        query = (
            select(payments.c.id)
            .join(orders, orders.c.id == payments.c.order_id)
            .where(payments.c.status == PaymentState.COMPLETED.value, payments.c.refund_id.is_(None), owed)
            .order_by(payments.c.id)
            .limit(limit)
        )
        return [int(r) for r in (await self._session.execute(query)).scalars()]

    async def refunds_pending(self, limit: int) -> list[int]:
        query = (
            select(payments.c.id)
            .where(payments.c.status == PaymentState.REFUND_PENDING.value)
            .order_by(payments.c.id)
            .limit(limit)
        )
        return [int(r) for r in (await self._session.execute(query)).scalars()]

    async def record_notification(self, notification: Notification) -> None:
        await self._session.execute(
            insert(payment_notifications).values(
                gateway=notification.gateway,
                gateway_order_id=notification.gateway_order_id[:64],
                payment_id=notification.payment_id,
                result=notification.result,
                claimed=notification.claimed,
                amount=notification.amount,
                gateway_txn_id=(notification.gateway_txn_id or "")[:64] or None,
                detail=(notification.detail or "")[:255] or None,
                received_at=notification.received_at,
            )
        )
