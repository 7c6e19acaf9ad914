"""Payment pages in SQLAlchemy Core: one count, one page (with the order's address), one query for records."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.orders import orders
from s2cart.adapters.persistence.tables.payments import payment_transactions, payments, saved_cards, saved_upi_ids
from s2cart.application.payments.views import (
    CardView,
    HistoryFilter,
    PaymentHistoryView,
    PaymentStatusView,
    TransactionView,
    UpiView,
)
from s2cart.domain.shared.pagination import Page, PageRequest


def _day_start(day: Any) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


class SqlAlchemyPaymentReader(Reader):
    async def latest_of_order(self, user_id: int, order_id: int) -> PaymentStatusView | None:
        query = (
            select(payments)
            .where(payments.c.order_id == order_id, payments.c.user_id == user_id)
            .order_by(payments.c.created_at.desc(), payments.c.id.desc())
            .limit(1)
        )
        async with self.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            return None
        return PaymentStatusView(
            payment_id=row.id,
            order_id=row.order_id,
            transaction_id=row.transaction_id,
            status=row.status,
            amount=row.amount,
            gateway=row.gateway,
            gateway_transaction_id=row.gateway_transaction_id,
            completed_at=row.captured_at,
            created_at=row.created_at,
            last_checked_at=row.last_checked_at,
            failure_reason=row.failure_reason,
        )

    async def page(self, user_id: int, request: PageRequest, filters: HistoryFilter) -> Page[PaymentHistoryView]:
        conditions: list[ColumnElement[bool]] = [payments.c.user_id == user_id]
        if filters.status is not None:
            conditions.append(payments.c.status == filters.status)
        if filters.payment_type is not None:
            conditions.append(payments.c.payment_type == filters.payment_type)
        if filters.from_date is not None:
            conditions.append(payments.c.created_at >= _day_start(filters.from_date))
        if filters.to_date is not None:
            conditions.append(payments.c.created_at < _day_start(filters.to_date) + timedelta(days=1))
        query = (
            select(payments, orders.c.shipping_address)
            .join(orders, orders.c.id == payments.c.order_id)
            .where(*conditions)
            .order_by(payments.c.created_at.desc(), payments.c.id.desc())
            .offset(request.offset)
            .limit(request.limit)
        )
        async with self.connect() as connection:
            total = (
                await connection.execute(select(func.count()).select_from(payments).where(*conditions))
            ).scalar_one()
            rows = (await connection.execute(query)).all()
            records = await _records(connection, [row.id for row in rows])
        views = [
            PaymentHistoryView(
                id=row.id,
                transaction_id=row.transaction_id,
                amount=row.amount,
                currency=row.currency,
                status=row.status,
                payment_type=row.payment_type,
                gateway_name=row.gateway,
                gateway_transaction_id=row.gateway_transaction_id,
                order_id=row.order_id,
                created_at=row.created_at,
                completed_at=row.captured_at,
                billing_address_details=row.shipping_address,
                transactions=records.get(row.id, ()),
            )
            for row in rows
        ]
        return Page(items=views, total_count=int(total), request=request)


async def _records(connection: Any, payment_ids: list[int]) -> dict[int, tuple[TransactionView, ...]]:
    if not payment_ids:
        return {}
    found: dict[int, list[TransactionView]] = defaultdict(list)
    query = (
        select(payment_transactions)
        .where(payment_transactions.c.payment_id.in_(payment_ids))
        .order_by(payment_transactions.c.id)
    )
    for line in (await connection.execute(query)).all():
        found[line.payment_id].append(TransactionView(line.id, line.action, line.status, line.amount, line.created_at))
    return {payment_id: tuple(lines) for payment_id, lines in found.items()}


class SqlAlchemyPaymentMethodReader(Reader):
    async def cards_of(self, user_id: int) -> list[CardView]:
        query = (
            select(saved_cards)
            .where(saved_cards.c.user_id == user_id)
            .order_by(saved_cards.c.is_default.desc(), saved_cards.c.created_at.desc(), saved_cards.c.id.desc())
        )
        async with self.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            CardView(
                id=row.id,
                card_type=row.card_type,
                last_four=row.last_four,
                expiry_month=row.expiry_month,
                expiry_year=row.expiry_year,
                card_holder_name=row.holder_name,
                card_nickname=row.nickname,
                is_default=row.is_default,
                created_at=row.created_at,
            )
            for row in rows
        ]

    async def upi_ids_of(self, user_id: int) -> list[UpiView]:
        query = (
            select(saved_upi_ids)
            .where(saved_upi_ids.c.user_id == user_id)
            .order_by(saved_upi_ids.c.is_default.desc(), saved_upi_ids.c.created_at.desc(), saved_upi_ids.c.id.desc())
        )
        async with self.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [UpiView(row.id, row.upi_id, row.nickname, row.is_default, row.created_at) for row in rows]
