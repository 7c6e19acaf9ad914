"""The order pages in SQLAlchemy Core: one count, one page of orders, one query for all their lines."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Float, cast, func, select

from s2cart.adapters.persistence.sessions import AsyncSessionFactory
from s2cart.adapters.persistence.tables.orders import order_items, orders
from s2cart.adapters.persistence.tables.payments import payments
from s2cart.application.orders.views import OrderItemView, OrderPaymentView, OrderView
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest

_SORT = {"order_date": orders.c.order_date, "total_amount": orders.c.total_amount}


class SqlAlchemyOrderReader:
    def __init__(self, session_factory: AsyncSessionFactory) -> None:
        self._sessions = session_factory
        bind = session_factory.kw.get("bind")
        self._sqlite = bind is not None and bind.dialect.name == "sqlite"

    async def page(self, user_id: int, request: PageRequest, ordering: Ordering, status: str | None) -> Page[OrderView]:
        conditions: list[ColumnElement[bool]] = [orders.c.user_id == user_id]
        if status is not None:
            conditions.append(orders.c.status == status)
        column: Any = _SORT[ordering.field]
        if ordering.field == "total_amount" and self._sqlite:
            column = cast(column, Float)  # SQLite keeps amounts as exact text, which sorts as text
        order_by = [column.desc(), orders.c.id.desc()] if ordering.descending else [column.asc(), orders.c.id.asc()]
        async with self._sessions() as session:
            total = (await session.execute(select(func.count()).select_from(orders).where(*conditions))).scalar_one()
            rows = (
                await session.execute(
                    select(orders).where(*conditions).order_by(*order_by).offset(request.offset).limit(request.limit)
                )
            ).all()
            items = await self._items(session, [row.id for row in rows])
            paid = await self._payments(session, [row.id for row in rows])
        views = [_view(row, items.get(row.id, ()), paid.get(row.id, ())) for row in rows]
        return Page(items=views, total_count=int(total), request=request)

    async def one(self, user_id: int, order_id: int) -> OrderView | None:
        async with self._sessions() as session:
            row = (
                await session.execute(select(orders).where(orders.c.id == order_id, orders.c.user_id == user_id))
            ).first()
            if row is None:
                return None
            items = await self._items(session, [row.id])
            paid = await self._payments(session, [row.id])
        return _view(row, items.get(row.id, ()), paid.get(row.id, ()))

    @staticmethod
    async def _items(session: Any, order_ids: list[int]) -> dict[int, tuple[OrderItemView, ...]]:
        if not order_ids:
            return {}
        found: dict[int, list[OrderItemView]] = defaultdict(list)
        query = select(order_items).where(order_items.c.order_id.in_(order_ids)).order_by(order_items.c.id)
        for line in (await session.execute(query)).all():
            found[line.order_id].append(
                OrderItemView(
                    id=line.id,
                    product_id=line.product_id,
                    product_name=line.product_name,
                    product_image_url=line.product_image_url,
                    product_variant=line.product_variant,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    total_price=line.total_price,
                )
            )
        return {order_id: tuple(lines) for order_id, lines in found.items()}

    @staticmethod
    async def _payments(session: Any, order_ids: list[int]) -> dict[int, tuple[OrderPaymentView, ...]]:
        """Every payment attempt of the orders, oldest first, in one statement."""
        if not order_ids:
            return {}
        found: dict[int, list[OrderPaymentView]] = defaultdict(list)
        query = select(payments).where(payments.c.order_id.in_(order_ids)).order_by(payments.c.id)
        for row in (await session.execute(query)).all():
            found[row.order_id].append(
                OrderPaymentView(
                    id=row.id,
                    transaction_id=row.transaction_id,
                    amount=row.amount,
                    status=row.status,
                    payment_type=row.payment_type,
                )
            )
        return {order_id: tuple(rows) for order_id, rows in found.items()}


def _view(row: Any, items: tuple[OrderItemView, ...], payments: tuple[OrderPaymentView, ...]) -> OrderView:
    return OrderView(
        id=row.id,
        order_number=row.order_number,
        status=row.status,
        order_date=row.order_date,
        subtotal=row.subtotal,
        tax_amount=row.tax_amount,
        shipping_cost=row.shipping_cost,
        discount_amount=row.discount_amount,
        total_amount=row.total_amount,
        coupon_code=row.coupon_code,
        tracking_number=row.tracking_number,
        carrier_name=row.carrier_name,
        estimated_delivery_date=row.estimated_delivery_date,
        actual_delivery_date=row.actual_delivery_date,
        shipping_address_details=row.shipping_address,
        delivery_instructions=row.delivery_instructions,
        preferred_delivery_time=row.preferred_delivery_time,
        cancellation_reason=row.cancellation_reason,
        cancelled_at=row.cancelled_at,
        paid_at=row.paid_at,
        items=items,
        payments=payments,
    )
