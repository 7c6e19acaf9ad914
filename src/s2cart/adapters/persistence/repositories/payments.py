"""Payment attempts in SQLAlchemy Core: the attempt row, its history records, and gateway notifications."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.orders import orders
from s2cart.adapters.persistence.tables.payments import payment_notifications, payment_transactions, payments
from s2cart.application.ports.payment_records import Notification
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.payments.payment import WATCHED_STATES, Action, Payment, PaymentRecord, PaymentState

# Written on every save; the identity of an attempt (ids, order, amount, gateway) never changes.
_MUTABLE = (
    "status",
    "payment_type",
    "gateway_transaction_id",
    "gateway_code",
    "gateway_message",
    "failure_reason",
    "captured_at",
    "refund_due",
    "refund_id",
    "gateway_refund_id",
    "refunded_at",
    "last_checked_at",
    "next_check_at",
)


class SqlAlchemyPaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, payment: Payment) -> None:
        values = {
            "user_id": payment.user_id,
            "order_id": payment.order_id,
            "gateway": payment.gateway,
            "transaction_id": payment.transaction_id,
            "gateway_order_id": payment.gateway_order_id,
            "amount": payment.amount,
            "currency": payment.currency,
            "retry_of": payment.retry_of,
            "retry_number": payment.retry_number,
            "created_at": payment.created_at,
            **self._mutable(payment),
        }
        result = await self._session.execute(insert(payments).values(**values).returning(payments.c.id))
        payment.id = int(result.scalar_one())
        await self._insert_records(payment)

    async def save(self, payment: Payment) -> None:
        assert payment.id is not None
        await self._session.execute(
            update(payments).where(payments.c.id == payment.id).values(**self._mutable(payment))
        )
        await self._insert_records(payment)

    @staticmethod
    def _mutable(payment: Payment) -> dict[str, Any]:
        values = {name: getattr(payment, name) for name in _MUTABLE}
        for name, size in (
            ("gateway_code", 64),
            ("gateway_message", 255),
            ("failure_reason", 64),
            ("payment_type", 30),
        ):
            values[name] = (values[name] or "")[:size] or None  # gateways' texts may run long
        values["status"] = payment.status.value
        values["refund_status"] = _refund_status(payment)
        values["updated_at"] = payment.updated_at or payment.created_at
        return values

    async def _insert_records(self, payment: Payment) -> None:
        for record in payment.records:
            if record.id is not None:
                continue
            result = await self._session.execute(
                insert(payment_transactions)
                .values(
                    payment_id=payment.id,
                    action=record.action.value,
                    status=record.status.value.lower(),  # the contract's transactions: success, failure, pending
                    amount=record.amount,
                    code=(record.code or "")[:64] or None,
                    created_at=record.created_at,
                )
                .returning(payment_transactions.c.id)
            )
            record.id = int(result.scalar_one())

    async def of_order(self, order_id: int) -> list[Payment]:
        # FOR NO KEY UPDATE: writers of one order's attempts queue here (after the order's own lock),
        # while notifications can still reference an attempt (their foreign key takes KEY SHARE).
        query = (
            select(payments)
            .where(payments.c.order_id == order_id)
            .order_by(payments.c.id)
            .with_for_update(key_share=True)
        )
        return await self._load(query)

    async def get(self, payment_id: int) -> Payment | None:
        found = await self._load(select(payments).where(payments.c.id == payment_id))
        return found[0] if found else None

    async def find(self, gateway: str, gateway_order_id: str) -> Payment | None:
        query = select(payments).where(payments.c.gateway == gateway, payments.c.gateway_order_id == gateway_order_id)
        found = await self._load(query)
        return found[0] if found else None

    async def _load(self, query: Any) -> list[Payment]:
        rows = (await self._session.execute(query)).all()
        if not rows:
            return []
        records: dict[int, list[PaymentRecord]] = defaultdict(list)
        history = select(payment_transactions).where(payment_transactions.c.payment_id.in_([r.id for r in rows]))
        for line in (await self._session.execute(history.order_by(payment_transactions.c.id))).all():
            records[line.payment_id].append(
                PaymentRecord(
                    Action(line.action),
                    GatewayState(line.status.upper()),
                    line.amount,
                    line.created_at,
                    line.code,
                    line.id,
                )
            )
        return [_payment(row, records[row.id]) for row in rows]

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


def _payment(row: Any, records: list[PaymentRecord]) -> Payment:
    return Payment(
        id=row.id,
        user_id=row.user_id,
        order_id=row.order_id,
        gateway=row.gateway,
        transaction_id=row.transaction_id,
        gateway_order_id=row.gateway_order_id,
        amount=row.amount,
        currency=row.currency,
        created_at=row.created_at,
        status=PaymentState(row.status),
        retry_of=row.retry_of,
        retry_number=row.retry_number,
        payment_type=row.payment_type,
        gateway_transaction_id=row.gateway_transaction_id,
        gateway_code=row.gateway_code,
        gateway_message=row.gateway_message,
        failure_reason=row.failure_reason,
        captured_at=row.captured_at,
        refund_due=row.refund_due,
        refund_id=row.refund_id,
        gateway_refund_id=row.gateway_refund_id,
        refunded_at=row.refunded_at,
        last_checked_at=row.last_checked_at,
        next_check_at=row.next_check_at,
        updated_at=row.updated_at,
        records=records,
    )


def _refund_status(payment: Payment) -> str | None:
    """The ``refund_status`` column, kept for reports: derived from the attempt's state, never read back."""
    if payment.refund_id is None:
        return None
    if payment.status is PaymentState.REFUNDED:
        return "COMPLETED"
    return "PENDING" if payment.status is PaymentState.REFUND_PENDING else "FAILED"
