"""Hand-written fakes for the payment ports: a scripted gateway and in-memory orders and payments."""

from __future__ import annotations

import asyncio
import copy
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from s2cart.application.errors import GatewayUnavailable, InvalidCallback, InvalidSignature
from s2cart.application.payments.views import CardView, UpiView
from s2cart.application.ports.payment_records import Notification
from s2cart.application.ports.payments import (
    GatewayName,
    InboundCallback,
    InitiateRequest,
    RefundRequest,
    RefundStatusQuery,
    StatusQuery,
)
from s2cart.domain.catalog.coupon import Coupon
from s2cart.domain.catalog.product import Product
from s2cart.domain.invoices.invoice import TaxDocument
from s2cart.domain.invoices.numbering import Series
from s2cart.domain.orders.order import Order
from s2cart.domain.payments.amounts import to_paise
from s2cart.domain.payments.facts import GatewayFacts, GatewayState
from s2cart.domain.payments.methods import PaymentMethodBook
from s2cart.domain.payments.payment import Payment, PaymentState
from tests.fakes import FakeAddressBooks, FakeCatalog, FakeClock, FakeUnitOfWork

SIGNATURE = "X-FAKE-SIGNATURE"
MERCHANT = "MID_FAKE"


@dataclass
class FakeGateway:
    """Answers as scripted, with facts only (it judges nothing); remembers every call. Callbacks are JSON
    signed with a header saying "ok". An attempt it was never told about has no record (NOT_FOUND)."""

    name: GatewayName = "PAYTM"
    clock: FakeClock = field(default_factory=FakeClock)
    initiate_state: GatewayState = GatewayState.SUCCESS
    states: dict[str, GatewayState] = field(default_factory=dict)  # gateway order id -> what status says
    amounts: dict[str, Decimal] = field(default_factory=dict)  # what status reports paid, if not the amount asked
    status_down: bool = False
    refund_state: GatewayState = GatewayState.SUCCESS
    refund_status_state: GatewayState = GatewayState.SUCCESS
    status_delay: float = 0.0
    initiate_delay: float = 0.0
    initiated: list[InitiateRequest] = field(default_factory=list)
    status_calls: list[str] = field(default_factory=list)
    refunds: list[RefundRequest] = field(default_factory=list)
    asked: dict[str, Decimal] = field(default_factory=dict)

    @property
    def merchant_id(self) -> str:
        return MERCHANT

    async def initiate(self, request: InitiateRequest) -> GatewayFacts:
        self.initiated.append(request)
        self.asked[request.gateway_order_id] = request.amount
        if self.initiate_delay:
            await asyncio.sleep(self.initiate_delay)
        if self.initiate_state is not GatewayState.SUCCESS:
            return GatewayFacts(self.name, self.initiate_state, code="TIMEOUT", message="no answer")
        return GatewayFacts(
            self.name,
            GatewayState.SUCCESS,
            token=f"token-{request.gateway_order_id}" if self.name == "PAYTM" else None,
            redirect_url=f"https://pay.test/{request.gateway_order_id}" if self.name == "PHONEPE" else None,
        )

    async def fetch_status(self, query: StatusQuery) -> GatewayFacts:
        order_id = query.gateway_order_id
        self.status_calls.append(order_id)
        if self.status_delay:
            await asyncio.sleep(self.status_delay)
        if self.status_down:
            raise GatewayUnavailable(self.name, "TIMEOUT")
        state = self.states.get(order_id, GatewayState.NOT_FOUND)
        amount = self.amounts.get(order_id, self.asked.get(order_id))
        return GatewayFacts(
            self.name,
            state,
            gateway_order_id=order_id,
            merchant_id=MERCHANT,
            amount_paise=to_paise(amount) if amount is not None else None,
            transaction_id=f"GW{order_id}" if state is GatewayState.SUCCESS else None,
            mode="upi",
            code=state.value,
        )

    def verify_callback(self, callback: InboundCallback) -> GatewayFacts:
        if callback.header(SIGNATURE) != "ok":
            raise InvalidSignature(self.name, "bad signature")
        try:
            fields = json.loads(callback.body)
        except ValueError as exc:
            raise InvalidCallback(self.name, "unreadable") from exc
        return GatewayFacts(
            self.name,
            GatewayState(fields.get("signal", "SUCCESS")),
            gateway_order_id=fields["order_id"],
            merchant_id=fields.get("merchant", MERCHANT),
            amount_paise=to_paise(Decimal(fields["amount"])) if "amount" in fields else None,
            transaction_id=fields.get("txn_id"),
        )

    async def refund(self, request: RefundRequest) -> GatewayFacts:
        self.refunds.append(request)
        return GatewayFacts(self.name, self.refund_state, gateway_order_id=request.refund_id)

    async def fetch_refund_status(self, query: RefundStatusQuery) -> GatewayFacts:
        return GatewayFacts(self.name, self.refund_status_state, gateway_order_id=query.refund_id)


def callback(
    order_id: str, signal: str = "SUCCESS", amount: str | None = None, signed: bool = True, merchant: str | None = None
) -> InboundCallback:
    fields: dict[str, str] = {"order_id": order_id, "signal": signal}
    if amount is not None:
        fields["amount"] = amount
    if merchant is not None:
        fields["merchant"] = merchant
    return InboundCallback(json.dumps(fields).encode(), {SIGNATURE: "ok" if signed else "no"})


@dataclass
class Redemption:
    code: str
    user_id: int
    order_id: int
    at: datetime
    released: bool = False


class FakeOrders:
    """Orders by id; reads hand out copies, so only ``save_status`` changes what is stored. With a catalog
    (``OrdersUnitOfWork`` wires it) it also keeps the stock and coupon ledgers: stock is the catalog
    product's ``stock``, redemptions a list. ``stock_locks`` is the order in which product rows were locked
    in the current unit of work (what decides deadlocks on PostgreSQL)."""

    def __init__(self, catalog: FakeCatalog | None = None) -> None:
        self.orders: dict[int, Order] = {}
        self.lock = asyncio.Lock()  # stands for the row lock, held until the unit of work ends
        self.catalog = catalog
        self.redemptions: list[Redemption] = []
        self.day_sequences: dict[str, int] = {}
        self.stock_locks: list[tuple[str, str]] = []
        self.last_id = 0

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

    async def add(self, order: Order) -> None:
        self.last_id = max(self.last_id, *self.orders, 0) + 1
        order.id = self.last_id
        saved = []
        for line in order.lines:
            self.last_id += 1
            saved.append(replace(line, id=self.last_id))
        order.lines = saved
        self.orders[order.id] = copy.deepcopy(order)

    async def placed_from_cart(self, user_id: int, cart_id: int) -> bool:
        return any(o.user_id == user_id and o.source_cart_id == cart_id for o in self.orders.values())

    async def next_number(self, day: datetime) -> int:
        key = day.date().isoformat()
        self.day_sequences[key] = self.day_sequences.get(key, 0) + 1
        return self.day_sequences[key]

    def _product(self, store_id: str, product_id: str) -> Product | None:
        assert self.catalog is not None, "the stock ledger needs the catalog"
        self.stock_locks.append((store_id, product_id))
        return self.catalog.products.get((store_id, product_id))

    async def take_stock(self, store_id: str, product_id: str, quantity: int) -> bool:
        product = self._product(store_id, product_id)
        if product is None or product.stock is None:
            return True
        if product.stock < quantity:
            return False
        self.catalog.products[(store_id, product_id)] = replace(product, stock=product.stock - quantity)  # type: ignore[union-attr]
        return True

    async def give_back_stock(self, store_id: str, product_id: str, quantity: int) -> None:
        product = self._product(store_id, product_id)
        if product is not None and product.stock is not None:
            self.catalog.products[(store_id, product_id)] = replace(product, stock=product.stock + quantity)  # type: ignore[union-attr]

    async def lock_coupon(self, code: str) -> Coupon | None:
        assert self.catalog is not None
        return self.catalog.coupons.get(code)

    async def coupon_uses(self, code: str, user_id: int) -> tuple[int, int]:
        live = [r for r in self.redemptions if r.code == code and not r.released]
        return len(live), sum(1 for r in live if r.user_id == user_id)

    async def redeem_coupon(self, code: str, user_id: int, order_id: int, now: datetime) -> None:
        self.redemptions.append(Redemption(code, user_id, order_id, now))

    async def release_coupon(self, order_id: int) -> None:
        for redemption in self.redemptions:
            if redemption.order_id == order_id:
                redemption.released = True


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


class FakeTaxDocuments:
    """Invoices and credit notes, with their counters (rolled back with the rest of the unit of work)."""

    def __init__(self) -> None:
        self.documents: list[TaxDocument] = []
        self.counters: dict[tuple[str, Series, int], int] = {}

    async def next_serial(self, store_id: str, series: Series, financial_year: int) -> int:
        key = (store_id, series, financial_year)
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    async def add(self, document: TaxDocument) -> TaxDocument:
        if any(d.order_id == document.order_id and d.series is document.series for d in self.documents):
            raise AssertionError("one document of a series per order")
        saved = replace(document, id=len(self.documents) + 1)
        self.documents.append(saved)
        return saved

    async def of_order(self, order_id: int, series: Series) -> TaxDocument | None:
        return next((d for d in self.documents if d.order_id == order_id and d.series is series), None)


class PaymentsUnitOfWork(FakeUnitOfWork):
    """The fake unit of work with orders, payments and saved methods; a block holds the order lock, so
    concurrent use cases run their transactions one after another, as row locks make them on PostgreSQL."""

    def __init__(self) -> None:
        self.orders = FakeOrders()
        self.payments = FakePayments()
        self.payment_methods = FakePaymentMethods()
        self.invoices = FakeTaxDocuments()
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
        return copy.deepcopy(
            (self.catalog, self.carts, self.orders.orders, self.payments, self.payment_methods, self.invoices)
        )

    def _restore_areas(self) -> None:
        catalog, carts, orders, payments, methods, invoices = copy.deepcopy(self._areas)
        self.invoices.__dict__.update(invoices.__dict__)
        self.catalog.__dict__.update(catalog.__dict__)
        self.carts.__dict__.update(carts.__dict__)
        self.orders.orders = orders
        self.payments.__dict__.update(payments.__dict__)
        self.payment_methods.__dict__.update(methods.__dict__)


class OrdersUnitOfWork(PaymentsUnitOfWork):
    """The payments unit of work with the address book, and the order ledgers (stock, coupon redemptions,
    order numbers) kept in its state: rolled back like the rest when a block ends without commit."""

    def __init__(self) -> None:
        self.addresses = FakeAddressBooks()
        super().__init__()
        self.orders.catalog = self.catalog  # restored in place, so this reference stays live
        self._areas = self._copy_areas()

    async def __aenter__(self) -> OrdersUnitOfWork:
        await super().__aenter__()
        self.orders.stock_locks = []
        return self

    def _copy_areas(self):  # type: ignore[no-untyped-def]
        ledgers = (self.orders.redemptions, self.orders.day_sequences, self.orders.last_id)
        return (*super()._copy_areas(), copy.deepcopy((self.addresses, ledgers)))

    def _restore_areas(self) -> None:
        *mine, (addresses, ledgers) = self._areas
        self._areas = tuple(mine)
        try:
            super()._restore_areas()
        finally:
            self._areas = (*mine, (addresses, ledgers))
        addresses, (redemptions, sequences, last_id) = copy.deepcopy((addresses, ledgers))
        self.addresses.__dict__.update(addresses.__dict__)
        self.orders.redemptions, self.orders.day_sequences, self.orders.last_id = redemptions, sequences, last_id
