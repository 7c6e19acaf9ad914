"""Orders and payment attempts in imperative mapping (decision 0031), against real databases: what the mapping
adds to the tables (enums, the stored line total, cut texts, derived columns), that a locking read refreshes
an object already loaded, and that a save writes only what changed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.tables.orders import order_items, orders
from s2cart.adapters.persistence.tables.payments import payment_transactions, payments
from s2cart.adapters.persistence.tables.users import users
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.domain.orders.order import DeliveryTime, Order, OrderLine
from s2cart.domain.orders.pricing import OrderTotals
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.facts import GatewayFacts, GatewayState
from s2cart.domain.payments.payment import Action, Payment, PaymentState

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(
            insert(users).values(
                id=1,
                username="asha",
                username_key="asha",
                email="asha@example.com",
                email_key="asha@example.com",
                password_hash="x",
                date_joined=NOW,
                updated_at=NOW,
            )
        )
    yield engine
    await engine.dispose()


@pytest.fixture
def uow(engine: AsyncEngine) -> Callable[[], SqlAlchemyUnitOfWork]:
    factory = make_session_factory(engine)
    return lambda: SqlAlchemyUnitOfWork(factory)


def an_order() -> Order:
    lines = [
        OrderLine("store_1", "p1", "Rice", None, {"size": "5kg"}, 3, Decimal("33.33")),
        OrderLine("store_1", "p2", "Dal", "https://img.example/d.png", None, 1, Decimal("120.00")),
    ]
    return Order(
        user_id=1,
        order_number="ORD-20260120-0001",
        status=OrderStatus.PLACED,
        order_date=NOW,
        source_cart_id=7,
        store_id="store_1",
        lines=lines,
        totals=OrderTotals(Decimal("219.99"), Decimal("39.60"), Decimal("50.00"), Decimal("0.00"), Decimal("309.59")),
        coupon_code=None,
        shipping_address={"city": "Mumbai"},
        estimated_delivery_date=NOW + timedelta(days=3),
        preferred_delivery_time=DeliveryTime.EVENING,
    )


async def placed(uow: Callable[[], SqlAlchemyUnitOfWork]) -> Order:
    order = an_order()
    async with uow() as unit:
        await unit.orders.add(order)
        await unit.commit()
    return order


class Statements:
    def __init__(self, engine: AsyncEngine) -> None:
        self.seen: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.seen.append(" ".join(statement.split()))

    def writes(self) -> list[str]:
        return [s for s in self.seen if s.startswith(("INSERT", "UPDATE", "DELETE"))]


async def test_an_order_round_trips_with_its_lines_totals_and_enums(
    uow: Callable[[], SqlAlchemyUnitOfWork], engine: AsyncEngine
) -> None:
    order = await placed(uow)
    assert order.id is not None and all(line.id is not None for line in order.lines)
    async with engine.connect() as connection:
        stored = (await connection.execute(select(order_items.c.total_price).order_by(order_items.c.id))).scalars()
        assert list(stored) == [Decimal("99.99"), Decimal("120.00")]  # the line's own total, rounded to paise
        row = (await connection.execute(select(orders))).one()
    assert (row.status, row.preferred_delivery_time, row.total_amount) == ("PLACED", "EVENING", Decimal("309.59"))
    assert row.updated_at == NOW  # unset on the order: the order's date, as before the mapping
    async with uow() as unit:
        loaded = await unit.orders.get(1, order.id)
    assert loaded is not None
    assert loaded.status is OrderStatus.PLACED and loaded.preferred_delivery_time is DeliveryTime.EVENING
    assert loaded.totals == order.totals
    assert [(line.product_id, line.variant, line.total_price) for line in loaded.lines] == [
        ("p1", {"size": "5kg"}, Decimal("99.99")),
        ("p2", None, Decimal("120.00")),
    ]
    async with uow() as unit:
        assert await unit.orders.get(2, order.id) is None  # another user's order is not found


async def test_a_status_change_writes_only_what_changed(
    uow: Callable[[], SqlAlchemyUnitOfWork], engine: AsyncEngine
) -> None:
    order = await placed(uow)
    statements = Statements(engine)
    async with uow() as unit:
        found = await unit.orders.find(order.order_number)
        assert found is not None
        found.cancel("changed my mind", NOW + timedelta(hours=1))
        await unit.orders.save_status(found)
        await unit.commit()
    [write] = statements.writes()
    assert write.startswith("UPDATE orders SET status=") and "subtotal" not in write and "order_items" not in write
    async with uow() as unit:
        again = await unit.orders.find(str(order.id))
    assert again is not None and again.status is OrderStatus.CANCELLED
    assert again.cancellation_reason == "changed my mind" and again.cancelled_at == NOW + timedelta(hours=1)


async def test_a_locking_read_refreshes_an_order_already_loaded(
    uow: Callable[[], SqlAlchemyUnitOfWork], engine: AsyncEngine
) -> None:
    order = await placed(uow)
    assert order.id is not None
    async with uow() as unit:
        first = await unit.orders.get(1, order.id)
        assert first is not None
        first.tracking_number = "stale, never saved"
        again = await unit.orders.get(1, order.id)
    assert again is first and again.tracking_number is None  # read as the row is, not as memory had it


def an_attempt(order_id: int) -> Payment:
    payment = Payment.start(
        user_id=1, order_id=order_id, gateway="PAYTM", transaction_id="TXN-1", gateway_order_id="S2C-1",
        amount=Decimal("309.59"), now=NOW,
    )  # fmt: skip
    payment.initiated(GatewayFacts("PAYTM", GatewayState.SUCCESS, code="01" * 40), NOW)
    return payment


async def test_an_attempt_round_trips_with_its_records(
    uow: Callable[[], SqlAlchemyUnitOfWork], engine: AsyncEngine
) -> None:
    order = await placed(uow)
    assert order.id is not None
    payment = an_attempt(order.id)
    async with uow() as unit:
        await unit.payments.add(payment)
        await unit.commit()
    assert payment.id is not None and payment.records[0].id is not None
    async with engine.connect() as connection:
        record = (await connection.execute(select(payment_transactions))).one()
        assert (record.action, record.status, record.code) == ("initiate", "success", "01" * 32)  # cut to 64
        assert (await connection.execute(select(payments.c.refund_status))).scalar_one() is None
    async with uow() as unit:
        [loaded] = await unit.payments.of_order(order.id)
    assert loaded.status is PaymentState.PENDING
    assert [(r.action, r.status) for r in loaded.records] == [(Action.INITIATE, GatewayState.SUCCESS)]
    assert loaded.records[0].action is Action.INITIATE and loaded.records[0].status is GatewayState.SUCCESS


async def test_a_save_cuts_gateway_texts_derives_refund_status_and_adds_only_new_records(
    uow: Callable[[], SqlAlchemyUnitOfWork], engine: AsyncEngine
) -> None:
    order = await placed(uow)
    assert order.id is not None
    async with uow() as unit:
        await unit.payments.add(an_attempt(order.id))
        await unit.commit()
    statements = Statements(engine)
    async with uow() as unit:
        found = await unit.payments.find("PAYTM", "S2C-1")
        loaded_order = await unit.orders.get(1, order.id)
        assert found is not None and loaded_order is not None
        facts = GatewayFacts(
            "PAYTM", GatewayState.SUCCESS, "S2C-1", "MID", 30959, "GW-1", message="m" * 300, mode="upi"
        )
        assert found.settle(facts, loaded_order, "MID", NOW) is PaymentState.COMPLETED
        found.flag_refund()
        found.request_refund("RF-1", NOW)
        await unit.payments.save(found)
        await unit.commit()
    inserts = [s for s in statements.writes() if s.startswith("INSERT")]
    assert inserts and all(s.startswith("INSERT INTO payment_transactions") for s in inserts)  # new records only
    async with engine.connect() as connection:
        row = (await connection.execute(select(payments))).one()
        actions = (await connection.execute(select(payment_transactions.c.action))).scalars()
        assert sorted(actions) == ["capture", "initiate", "refund"]
    assert (row.status, row.refund_status, row.payment_type) == ("REFUND_PENDING", "PENDING", "UPI")
    assert row.gateway_message == "m" * 255


async def test_a_locking_read_refreshes_an_attempt_read_before_the_lock(
    uow: Callable[[], SqlAlchemyUnitOfWork], engine: AsyncEngine
) -> None:
    order = await placed(uow)
    assert order.id is not None
    async with uow() as unit:
        await unit.payments.add(an_attempt(order.id))
        await unit.commit()
    async with uow() as unit:
        before = await unit.payments.get(1)
        assert before is not None and before.status is PaymentState.PENDING
        # What a parallel settlement would have committed between the plain read and the lock:
        await unit.session.execute(update(payments).values(status="FAILED", failure_reason="DECLINED"))
        [locked] = await unit.payments.of_order(order.id)
    assert locked is before and locked.status is PaymentState.FAILED and locked.failure_reason == "DECLINED"
