# Orders and payment attempts in Core as they were before decision 0031 mapped them (commit 7439b98), kept for
# bench/persistence_idioms.py: the same repositories with their loads and writes written by hand.
"""The Core side of the orders and payments measurement; the ledgers, counters and backlogs are shared."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select, update

from s2cart.adapters.persistence import mappers
from s2cart.adapters.persistence.repositories.orders import SqlAlchemyOrderRepository
from s2cart.adapters.persistence.repositories.payments import SqlAlchemyPaymentRepository
from s2cart.adapters.persistence.tables.orders import order_items, orders
from s2cart.adapters.persistence.tables.payments import payment_transactions, payments
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.domain.orders.order import DeliveryTime, Order, OrderLine
from s2cart.domain.orders.pricing import OrderTotals
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.payments.payment import Action, Payment, PaymentRecord, PaymentState

_MUTABLE = (
    "status", "payment_type", "gateway_transaction_id", "gateway_code", "gateway_message", "failure_reason",
    "captured_at", "refund_due", "refund_id", "gateway_refund_id", "refunded_at", "last_checked_at", "next_check_at",
)  # fmt: skip
_ORDER_FIELDS = (
    "user_id", "order_number", "order_date", "source_cart_id", "store_id", "coupon_code", "shipping_address",
    "delivery_instructions", "estimated_delivery_date", "refund_due",
)  # fmt: skip
_STATUS_FIELDS = (
    "tracking_number", "carrier_name", "shipped_at", "actual_delivery_date", "cancellation_reason", "cancelled_at",
    "paid_at", "refund_due", "updated_at",
)  # fmt: skip
_IDENTITY = (
    "user_id", "order_id", "gateway", "transaction_id", "gateway_order_id", "amount", "currency", "retry_of",
    "retry_number", "created_at",
)  # fmt: skip
_LINE_FIELDS = ("store_id", "product_id", "product_name", "product_image_url", "quantity", "unit_price")


def leave_unmapped() -> None:
    """Order, OrderLine, Payment and PaymentRecord stay plain classes in this process (the Core side)."""
    mappers.map_orders = lambda: None
    mappers.map_payments = lambda: None


class CoreOrderRepository(SqlAlchemyOrderRepository):
    async def add(self, order: Order) -> None:
        totals = order.totals
        values = {name: getattr(order, name) for name in _ORDER_FIELDS} | totals.__dict__
        values |= {"status": order.status.value, "preferred_delivery_time": order.preferred_delivery_time.value}
        values["updated_at"] = order.updated_at or order.order_date
        result = await self._session.execute(insert(orders).values(**values).returning(orders.c.id))
        order.id = result.scalar_one()
        for line in order.lines:
            row = {name: getattr(line, name) for name in _LINE_FIELDS} | {"product_variant": line.variant}
            row |= {"order_id": order.id, "total_price": line.total_price}
            inserted = await self._session.execute(insert(order_items).values(**row).returning(order_items.c.id))
            line.id = inserted.scalar_one()

    async def _load(self, *conditions: Any) -> Order | None:
        row = (await self._session.execute(select(orders).where(*conditions).with_for_update())).first()
        if row is None:
            return None
        query = select(order_items).where(order_items.c.order_id == row.id).order_by(order_items.c.id)
        lines = [
            OrderLine(**{name: getattr(line, name) for name in _LINE_FIELDS}, variant=line.product_variant, id=line.id)
            for line in (await self._session.execute(query)).all()
        ]
        return Order(
            **{name: getattr(row, name) for name in (*_ORDER_FIELDS, *_STATUS_FIELDS, "id")},
            status=OrderStatus(row.status),
            lines=lines,
            totals=OrderTotals(row.subtotal, row.tax_amount, row.shipping_cost, row.discount_amount, row.total_amount),
            preferred_delivery_time=DeliveryTime(row.preferred_delivery_time),
        )

    async def save_status(self, order: Order) -> None:
        values = {name: getattr(order, name) for name in _STATUS_FIELDS} | {"status": order.status.value}
        await self._session.execute(update(orders).where(orders.c.id == order.id).values(**values))


class CorePaymentRepository(SqlAlchemyPaymentRepository):
    async def add(self, payment: Payment) -> None:
        values = {name: getattr(payment, name) for name in _IDENTITY}
        result = await self._session.execute(
            insert(payments).values(**values, **_mutable(payment)).returning(payments.c.id)
        )
        payment.id = int(result.scalar_one())
        await self._insert_records(payment)

    async def save(self, payment: Payment) -> None:
        await self._session.execute(update(payments).where(payments.c.id == payment.id).values(**_mutable(payment)))
        await self._insert_records(payment)

    async def _insert_records(self, payment: Payment) -> None:
        for record in payment.records:
            if record.id is None:
                values = {"payment_id": payment.id, "action": record.action.value, "amount": record.amount}
                values |= {"status": record.status.value.lower(), "code": (record.code or "")[:64] or None}
                statement = insert(payment_transactions).values(**values, created_at=record.created_at)
                result = await self._session.execute(statement.returning(payment_transactions.c.id))
                record.id = int(result.scalar_one())

    async def of_order(self, order_id: int) -> list[Payment]:
        query = select(payments).where(payments.c.order_id == order_id).order_by(payments.c.id)
        return await self._rows(query.with_for_update(key_share=True))

    async def get(self, payment_id: int) -> Payment | None:
        found = await self._rows(select(payments).where(payments.c.id == payment_id))
        return found[0] if found else None

    async def find(self, gateway: str, gateway_order_id: str) -> Payment | None:
        query = select(payments).where(payments.c.gateway == gateway, payments.c.gateway_order_id == gateway_order_id)
        found = await self._rows(query)
        return found[0] if found else None

    async def _rows(self, query: Any) -> list[Payment]:
        rows = (await self._session.execute(query)).all()
        if not rows:
            return []
        records: dict[int, list[PaymentRecord]] = defaultdict(list)
        history = select(payment_transactions).where(payment_transactions.c.payment_id.in_([r.id for r in rows]))
        for line in (await self._session.execute(history.order_by(payment_transactions.c.id))).all():
            state = GatewayState(line.status.upper())
            records[line.payment_id].append(
                PaymentRecord(Action(line.action), state, line.amount, line.created_at, line.code, line.id)
            )
        fields = ("id", "user_id", "order_id", "gateway", "transaction_id", "gateway_order_id", "amount", "currency")
        fields += ("created_at", "retry_of", "retry_number", "updated_at", *_MUTABLE)
        return [
            Payment(
                **{name: getattr(row, name) for name in fields if name != "status"},
                status=PaymentState(row.status),
                records=records[row.id],
            )
            for row in rows
        ]


def _mutable(payment: Payment) -> dict[str, Any]:
    values = {name: getattr(payment, name) for name in _MUTABLE}
    for name, size in (("gateway_code", 64), ("gateway_message", 255), ("failure_reason", 64), ("payment_type", 30)):
        values[name] = (values[name] or "")[:size] or None
    values["status"] = payment.status.value
    values["refund_status"] = mappers._refund_status(payment)
    values["updated_at"] = payment.updated_at or payment.created_at
    return values


class CoreUnitOfWork(SqlAlchemyUnitOfWork):
    async def __aenter__(self) -> CoreUnitOfWork:
        await super().__aenter__()
        self.orders = CoreOrderRepository(self.session)
        self.payments = CorePaymentRepository(self.session)
        return self
