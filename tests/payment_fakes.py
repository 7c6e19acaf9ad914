"""Hand-written fakes for the payment ports: a scripted gateway and in-memory orders and payments."""

from __future__ import annotations

import asyncio
import copy
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from s2cart.application.errors import GatewayUnavailable, InvalidCallback, InvalidSignature
from s2cart.application.payments.views import CardView, UpiView
from s2cart.application.ports.payment_records import Notification
from s2cart.application.ports.payments import (
    CallbackNotice,
    GatewayName,
    InboundCallback,
    InitiateRequest,
    InitiateResult,
    RefundRequest,
    RefundResult,
    RefundStatusQuery,
    StatusQuery,
    StatusResult,
)
from s2cart.domain.orders.order import Order
from s2cart.domain.payments.methods import PaymentMethodBook
from s2cart.domain.payments.payment import Payment, PaymentState
from s2cart.domain.payments.rules import judge_payment, refund_status_for, status_after_initiate
from s2cart.domain.payments.status import GatewaySignal, InitiateOutcome
from tests.fakes import FakeClock, FakeUnitOfWork

SIGNATURE = "X-FAKE-SIGNATURE"


@dataclass
class FakeGateway:
    """Answers as scripted; remembers every call. Callbacks are JSON signed with a header saying "ok"."""

    name: GatewayName = "PAYTM"
    clock: FakeClock = field(default_factory=FakeClock)
    initiate_outcome: InitiateOutcome = InitiateOutcome.ACCEPTED
    signals: dict[str, GatewaySignal] = field(default_factory=dict)  # gateway order id -> status signal
    reported_amounts: dict[str, Decimal] = field(default_factory=dict)
    status_down: bool = False
    refund_signal: GatewaySignal = GatewaySignal.SUCCESS
    refund_status_signal: GatewaySignal = GatewaySignal.SUCCESS
    status_delay: float = 0.0
    initiated: list[InitiateRequest] = field(default_factory=list)
    status_calls: list[str] = field(default_factory=list)
    refunds: list[RefundRequest] = field(default_factory=list)

    async def initiate(self, request: InitiateRequest) -> InitiateResult:
        self.initiated.append(request)
        accepted = self.initiate_outcome is InitiateOutcome.ACCEPTED
        return InitiateResult(
            gateway=self.name,
            gateway_order_id=request.gateway_order_id,
            amount=request.amount,
            outcome=self.initiate_outcome,
            status=status_after_initiate(self.initiate_outcome),
            merchant_id="MID_FAKE",
            token=f"token-{request.gateway_order_id}" if accepted and self.name == "PAYTM" else None,
            redirect_url=f"https://pay.test/{request.gateway_order_id}"
            if accepted and self.name == "PHONEPE"
            else None,
            gateway_code=None if accepted else "TIMEOUT",
            gateway_message=None if accepted else "no answer",
        )

    async def fetch_status(self, query: StatusQuery) -> StatusResult:
        self.status_calls.append(query.gateway_order_id)
        if self.status_delay:
            await asyncio.sleep(self.status_delay)
        if self.status_down:
            raise GatewayUnavailable(self.name, "TIMEOUT")
        signal = self.signals.get(query.gateway_order_id, GatewaySignal.NOT_FOUND)
        amount = self.reported_amounts.get(query.gateway_order_id, query.expected_amount)
        now = self.clock.now()
        verdict = judge_payment(
            signal, details_match=amount == query.expected_amount, initiated_at=query.initiated_at, now=now
        )
        return StatusResult(
            gateway=self.name,
            gateway_order_id=query.gateway_order_id,
            signal=signal,
            status=verdict.status,
            checked_at=now,
            reason=verdict.reason,
            amount=amount,
            gateway_txn_id=f"GW{query.gateway_order_id}" if signal is GatewaySignal.SUCCESS else None,
            payment_mode="upi",
            gateway_code=signal.value,
        )

    def verify_callback(self, callback: InboundCallback) -> CallbackNotice:
        if callback.header(SIGNATURE) != "ok":
            raise InvalidSignature(self.name, "bad signature")
        try:
            fields = json.loads(callback.body)
        except ValueError as exc:
            raise InvalidCallback(self.name, "unreadable") from exc
        return CallbackNotice(
            gateway=self.name,
            gateway_order_id=fields["order_id"],
            claimed=GatewaySignal(fields.get("signal", "SUCCESS")),
            amount=Decimal(fields["amount"]) if "amount" in fields else None,
            gateway_txn_id=fields.get("txn_id"),
        )

    async def refund(self, request: RefundRequest) -> RefundResult:
        self.refunds.append(request)
        return RefundResult(self.name, request.refund_id, self.refund_signal, refund_status_for(self.refund_signal))

    async def fetch_refund_status(self, query: RefundStatusQuery) -> RefundResult:
        signal = self.refund_status_signal
        return RefundResult(self.name, query.refund_id, signal, refund_status_for(signal))


def callback(order_id: str, signal: str = "SUCCESS", amount: str | None = None, signed: bool = True) -> InboundCallback:
    fields: dict[str, str] = {"order_id": order_id, "signal": signal}
    if amount is not None:
        fields["amount"] = amount
    return InboundCallback(json.dumps(fields).encode(), {SIGNATURE: "ok" if signed else "no"})


class FakeOrders:
    """Orders by id; reads hand out copies, so only ``save_status`` changes what is stored."""

    def __init__(self) -> None:
        self.orders: dict[int, Order] = {}
        self.lock = asyncio.Lock()  # stands for the row lock, held until the unit of work ends

    def put(self, order: Order) -> Order:
        assert order.id is not None
        self.orders[order.id] = copy.deepcopy(order)
        return order

    async def get(self, user_id: int, order_id: int) -> Order | None:
        order = self.orders.get(order_id)
        return copy.deepcopy(order) if order is not None and order.user_id == user_id else None

    async def find(self, reference: str) -> Order | None:
        return copy.deepcopy(self.orders.get(int(reference))) if reference.isdigit() else None

    async def save_status(self, order: Order) -> None:
        assert order.id is not None
        self.orders[order.id] = copy.deepcopy(order)


class FakePayments:
    def __init__(self) -> None:
        self.payments: dict[int, Payment] = {}
        self.notifications: list[Notification] = []
        self.last_id = 0
        self.last_record_id = 0

    def _number(self, payment: Payment) -> None:
        for record in payment.records:
            if record.id is None:
                self.last_record_id += 1
                record.id = self.last_record_id

    async def add(self, payment: Payment) -> None:
        self.last_id += 1
        payment.id = self.last_id
        self._number(payment)
        self._check_unique(payment)
        self.payments[payment.id] = copy.deepcopy(payment)

    async def save(self, payment: Payment) -> None:
        assert payment.id in self.payments
        self._number(payment)
        self.payments[payment.id] = copy.deepcopy(payment)

    def _check_unique(self, payment: Payment) -> None:
        others = [p for p in self.payments.values() if p.id != payment.id]
        assert all(p.gateway_order_id != payment.gateway_order_id for p in others), "unique gateway order id"
        if payment.retry_of is not None:
            assert all(p.retry_of != payment.retry_of for p in others), "a payment is retried once"

    async def of_order(self, order_id: int) -> list[Payment]:
        mine = [p for p in self.payments.values() if p.order_id == order_id]
        return [copy.deepcopy(p) for p in sorted(mine, key=lambda p: p.id or 0)]

    async def get(self, payment_id: int) -> Payment | None:
        found = self.payments.get(payment_id)
        return copy.deepcopy(found) if found else None

    async def find(self, gateway: str, gateway_order_id: str) -> Payment | None:
        found = next(
            (p for p in self.payments.values() if (p.gateway, p.gateway_order_id) == (gateway, gateway_order_id)), None
        )
        return copy.deepcopy(found) if found else None

    async def due_for_check(self, now: datetime, limit: int) -> list[int]:
        due = [p for p in self.payments.values() if p.next_check_at is not None and p.next_check_at <= now]
        return [p.id for p in sorted(due, key=lambda p: p.next_check_at or now) if p.id is not None][:limit]

    async def refunds_to_request(self, limit: int) -> list[int]:
        return [p.id for p in self.payments.values() if p.needs_refund and p.id is not None][:limit]

    async def refunds_pending(self, limit: int) -> list[int]:
        pending = [p for p in self.payments.values() if p.status is PaymentState.REFUND_PENDING]
        return [p.id for p in pending if p.id is not None][:limit]

    async def record_notification(self, notification: Notification) -> None:
        self.notifications.append(notification)


class FakePaymentMethods:
    def __init__(self) -> None:
        self.books: dict[int, PaymentMethodBook] = {}
        self.last_id = 0

    async def get(self, user_id: int) -> PaymentMethodBook:
        return copy.deepcopy(self.books.get(user_id, PaymentMethodBook(user_id)))

    async def save(self, book: PaymentMethodBook) -> None:
        for method in [*book.cards, *book.upi_ids]:
            if method.id is None:
                self.last_id += 1
                method.id = self.last_id
        assert sum(c.is_default for c in book.cards) <= 1 and sum(u.is_default for u in book.upi_ids) <= 1
        book.removed.clear()
        self.books[book.user_id] = copy.deepcopy(book)


class FakeMethodReader:
    def __init__(self, methods: FakePaymentMethods) -> None:
        self._methods = methods

    async def cards_of(self, user_id: int) -> list[CardView]:
        from s2cart.application.payments.save_card import card_view

        book = self._methods.books.get(user_id, PaymentMethodBook(user_id))
        return [card_view(c) for c in sorted(book.cards, key=lambda c: (not c.is_default, -(c.id or 0)))]

    async def upi_ids_of(self, user_id: int) -> list[UpiView]:
        from s2cart.application.payments.save_upi_id import upi_view

        book = self._methods.books.get(user_id, PaymentMethodBook(user_id))
        return [upi_view(u) for u in sorted(book.upi_ids, key=lambda u: (not u.is_default, -(u.id or 0)))]


class PaymentsUnitOfWork(FakeUnitOfWork):
    """The fake unit of work with orders, payments and saved methods; a block holds the order lock, so
    concurrent use cases run their transactions one after another, as row locks make them on PostgreSQL."""

    def __init__(self) -> None:
        self.orders = FakeOrders()
        self.payments = FakePayments()
        self.payment_methods = FakePaymentMethods()
        super().__init__()

    async def __aenter__(self) -> PaymentsUnitOfWork:
        await self.orders.lock.acquire()
        await super().__aenter__()
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        try:
            await super().__aexit__(exc_type, exc, tb)
        finally:
            self.orders.lock.release()

    def _copy_areas(self):  # type: ignore[no-untyped-def]
        return copy.deepcopy((self.catalog, self.carts, self.orders.orders, self.payments, self.payment_methods))

    def _restore_areas(self) -> None:
        catalog, carts, orders, payments, methods = copy.deepcopy(self._areas)
        self.catalog.__dict__.update(catalog.__dict__)
        self.carts.__dict__.update(carts.__dict__)
        self.orders.orders = orders
        self.payments.__dict__.update(payments.__dict__)
        self.payment_methods.__dict__.update(methods.__dict__)
