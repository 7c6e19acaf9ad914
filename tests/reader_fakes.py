"""Fake readers for the list queries: they read what the fake units of work committed, sort by the ordering
with ties broken by id (newest first), and cut the page, as the SQL readers do."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from s2cart.application.accounts.views import ProfileView
from s2cart.application.addresses.views import AddressView
from s2cart.application.orders.views import OrderItemView, OrderPaymentView, OrderView
from s2cart.application.payments.views import HistoryFilter, PaymentHistoryView, TransactionView
from s2cart.application.ports.payment_backlog import PaymentBacklog
from s2cart.application.search.views import SearchEntryView
from s2cart.application.support.views import TicketMessageView, TicketView
from s2cart.domain.addresses.address import Address
from s2cart.domain.orders.order import Order
from s2cart.domain.payments.payment import WATCHED_STATES, Payment, PaymentState
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest
from s2cart.domain.support.ticket import SupportTicket, TicketStatus
from tests.auth_fakes import FakeSessions, FakeUsers
from tests.fakes import FakeAddressBooks, FakeCartBooks, FakeSearchHistory, FakeTickets
from tests.payment_fakes import FakeOrders, FakePayments

T = TypeVar("T")


def page_of(
    rows: Sequence[T], request: PageRequest, ordering: Ordering, key: Callable[[T], Any] | None = None
) -> Page[T]:
    by_id = sorted(rows, key=lambda r: getattr(r, "id"), reverse=True)  # noqa: B009 - the tie-breaker
    ordered = sorted(by_id, key=key or (lambda r: getattr(r, ordering.field)), reverse=ordering.descending)
    return Page(list(ordered[request.offset : request.offset + request.limit]), len(rows), request)


def address_view(a: Address) -> AddressView:
    assert a.id is not None
    return AddressView(
        a.id, a.contact_name, a.street_address, a.street_address_2, a.landmark, a.city, a.state, a.pin_code,
        a.country, a.phone_number, a.address_type, a.latitude, a.longitude, a.is_default, a.is_verified,
        a.created_at, a.updated_at,
    )  # fmt: skip


class FakeAddressReader:
    def __init__(self, books: FakeAddressBooks) -> None:
        self._books = books

    def _views(self, user_id: int) -> list[AddressView]:
        book = self._books.books.get(user_id)
        return [address_view(a) for a in book.addresses] if book else []

    async def page(self, user_id: int, request: PageRequest, ordering: Ordering) -> Page[AddressView]:
        return page_of(self._views(user_id), request, ordering)

    async def default(self, user_id: int) -> AddressView | None:
        return next((a for a in self._views(user_id) if a.is_default), None)


class FakeSearchReader:
    def __init__(self, history: FakeSearchHistory) -> None:
        self._history = history

    def _views(self, user_id: int) -> list[SearchEntryView]:
        return [
            SearchEntryView(e.id or 0, e.query, e.category, e.results_count, e.searched_at)
            for e in self._history.of(user_id)
        ]

    async def page(
        self, user_id: int, request: PageRequest, ordering: Ordering, category: str | None
    ) -> Page[SearchEntryView]:
        rows = [v for v in self._views(user_id) if category is None or v.category == category]
        return page_of(rows, request, ordering)

    async def all(self, user_id: int) -> list[SearchEntryView]:
        return self._views(user_id)


class FakeTicketReader:
    def __init__(self, tickets: FakeTickets) -> None:
        self._tickets = tickets

    @staticmethod
    def _view(t: SupportTicket) -> TicketView:
        assert t.id is not None
        messages = [
            TicketMessageView(m.id or 0, m.message, m.is_user_message, m.sent_at, m.attachment_url)
            for m in sorted(t.messages, key=lambda m: (m.sent_at, m.id or 0))
        ]
        return TicketView(
            t.id, t.subject, t.description, t.status, t.priority, t.category, t.created_at, t.updated_at, messages
        )

    async def page(
        self, user_id: int, request: PageRequest, ordering: Ordering, status: TicketStatus | None
    ) -> Page[TicketView]:
        mine = [
            self._view(t)
            for t in self._tickets.tickets.values()
            if t.user_id == user_id and (status is None or t.status == status.value)
        ]
        return page_of(mine, request, ordering)

    async def one(self, user_id: int, ticket_id: int) -> TicketView | None:
        found = self._tickets.tickets.get(ticket_id)
        return self._view(found) if found is not None and found.user_id == user_id else None


class FakeOrderReader:
    """Orders as the order pages read them, from the fake orders and payments."""

    def __init__(self, orders: FakeOrders, payments: FakePayments) -> None:
        self._orders = orders
        self._payments = payments

    def _view(self, o: Order) -> OrderView:
        assert o.id is not None
        items = tuple(
            OrderItemView(
                line.id or 0, line.product_id, line.product_name, line.product_image_url, line.variant,
                line.quantity, line.unit_price, line.total_price, line.hsn_code, line.gst_rate, line.taxable_value,
                line.cgst_amount, line.sgst_amount, line.igst_amount,
            )
            for line in o.lines
        )  # fmt: skip
        payments = tuple(
            OrderPaymentView(p.id or 0, p.transaction_id, p.amount, p.status.value, p.payment_type)
            for p in sorted(self._payments.payments.values(), key=lambda p: p.id or 0)
            if p.order_id == o.id
        )
        t = o.totals
        return OrderView(
            o.id, o.order_number, o.status.value, o.order_date, t.subtotal, t.tax_amount, t.shipping_cost,
            t.discount_amount, t.total_amount, o.coupon_code, o.tracking_number, o.carrier_name,
            o.estimated_delivery_date, o.actual_delivery_date, o.shipping_address, o.delivery_instructions,
            o.preferred_delivery_time.value, o.cancellation_reason, o.cancelled_at, o.paid_at, items, payments,
            o.tax_mode.value, o.place_of_supply, o.tax_breakup,
        )  # fmt: skip

    async def page(self, user_id: int, request: PageRequest, ordering: Ordering, status: str | None) -> Page[OrderView]:
        mine = [
            self._view(o)
            for o in self._orders.orders.values()
            if o.user_id == user_id and (status is None or o.status.value == status)
        ]
        return page_of(mine, request, ordering)

    async def one(self, user_id: int, order_id: int) -> OrderView | None:
        found = self._orders.orders.get(order_id)
        return self._view(found) if found is not None and found.user_id == user_id else None


class FakePaymentReader:
    """The payment history page over the fake payments and orders: filters, newest first."""

    def __init__(self, orders: FakeOrders, payments: FakePayments) -> None:
        self._orders = orders
        self._payments = payments

    def _view(self, p: Payment) -> PaymentHistoryView:
        assert p.id is not None
        records = tuple(
            TransactionView(r.id or 0, r.action.value, r.status.value, r.amount, r.created_at) for r in p.records
        )
        return PaymentHistoryView(
            p.id, p.transaction_id, p.amount, p.currency, p.status.value, p.payment_type, p.gateway,
            p.gateway_transaction_id, p.order_id, p.created_at, p.captured_at,
            self._orders.orders[p.order_id].shipping_address, records,
        )  # fmt: skip

    async def page(self, user_id: int, request: PageRequest, filters: HistoryFilter) -> Page[PaymentHistoryView]:
        def wanted(p: Payment) -> bool:
            day = p.created_at.astimezone(UTC).date()
            return (
                p.user_id == user_id
                and filters.status in (None, p.status.value)
                and filters.payment_type in (None, p.payment_type)
                and (filters.from_date is None or day >= filters.from_date)
                and (filters.to_date is None or day <= filters.to_date)
            )

        rows = [self._view(p) for p in self._payments.payments.values() if wanted(p)]
        return page_of(rows, request, Ordering("created_at", descending=True))


class FakePaymentBacklogReader:
    def __init__(self, payments: FakePayments) -> None:
        self._payments = payments

    async def backlog(self, now: datetime, expired_before: datetime, overdue_before: datetime) -> PaymentBacklog:
        every = list(self._payments.payments.values())
        expired = [
            p
            for p in every
            if p.next_check_at is not None
            and p.next_check_at <= now
            and p.status is PaymentState.PENDING
            and p.created_at <= expired_before
        ]
        overdue = [
            p
            for p in every
            if p.next_check_at is not None and p.next_check_at <= overdue_before and p.status in WATCHED_STATES
        ]
        return PaymentBacklog(pending_past_expiry=len(expired), checks_overdue=len(overdue))


class FakeProfileReader:
    """The profile page over the fake users, sessions, carts and address book."""

    def __init__(
        self, users: FakeUsers, sessions: FakeSessions, carts: FakeCartBooks, addresses: FakeAddressBooks
    ) -> None:
        self._users, self._sessions, self._carts, self._addresses = users, sessions, carts, addresses

    async def profile(self, user_id: int, now: datetime) -> ProfileView | None:
        user = self._users.users.get(user_id)
        if user is None:
            return None
        alive = [s for s in self._sessions.sessions.values() if s.user_id == user_id and s.is_alive(now)]
        book = self._carts.books.get(user_id)
        saved = FakeAddressReader(self._addresses)._views(user_id)
        saved.sort(key=lambda a: (not a.is_default, -a.id))
        return ProfileView(user, len(alive), len(book.carts) if book else 0, saved_addresses=saved)
