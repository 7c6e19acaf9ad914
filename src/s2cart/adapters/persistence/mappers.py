"""Imperative mapping: domain classes stay plain; SQLAlchemy learns their tables here, once (decision 0031)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import attributes, composite, registry, relationship

from s2cart.adapters.persistence.gst_columns import gst_columns, gst_of
from s2cart.adapters.persistence.tables.accounts import one_time_codes, sessions
from s2cart.adapters.persistence.tables.addresses import addresses
from s2cart.adapters.persistence.tables.orders import order_items, orders
from s2cart.adapters.persistence.tables.payments import payment_transactions, payments, saved_cards, saved_upi_ids
from s2cart.adapters.persistence.tables.search import search_history
from s2cart.adapters.persistence.tables.support import support_tickets, ticket_messages
from s2cart.adapters.persistence.tables.users import users
from s2cart.domain.addresses.address import Address
from s2cart.domain.orders.order import DeliveryTime, Order, OrderLine
from s2cart.domain.orders.pricing import OrderTotals
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.payments.methods import CardBrand, SavedCard, SavedUpi
from s2cart.domain.payments.payment import Action, Payment, PaymentRecord, PaymentState
from s2cart.domain.search.history import SearchEntry
from s2cart.domain.sessions.session import Session
from s2cart.domain.support.ticket import SupportTicket, TicketMessage
from s2cart.domain.tax.gst import TaxMode
from s2cart.domain.users.one_time_code import OneTimeCode
from s2cart.domain.users.user import User

mapper_registry = registry()
_started = False


def start_mappers() -> None:
    global _started
    if _started:
        return
    mapper_registry.map_imperatively(User, users)
    mapper_registry.map_imperatively(OneTimeCode, one_time_codes)
    mapper_registry.map_imperatively(Session, sessions)
    mapper_registry.map_imperatively(Address, addresses)
    mapper_registry.map_imperatively(SearchEntry, search_history)
    mapper_registry.map_imperatively(TicketMessage, ticket_messages)
    mapper_registry.map_imperatively(
        SupportTicket,
        support_tickets,
        properties={
            # Eager: an implicit lazy load under AsyncSession fails at run time.
            "messages": relationship(
                TicketMessage,
                lazy="selectin",
                order_by=(ticket_messages.c.sent_at, ticket_messages.c.id),
                cascade="all, delete-orphan",
            )
        },
    )
    mapper_registry.map_imperatively(SavedCard, saved_cards, properties={"brand": saved_cards.c.card_type})
    mapper_registry.map_imperatively(SavedUpi, saved_upi_ids)
    event.listen(SavedCard, "load", _card_brand)
    map_orders()
    map_payments()
    _started = True


def map_orders() -> None:
    """An order and its lines. A line is frozen and computes its total; the table stores it (``stored_total``,
    written before the insert). The five amounts are one ``OrderTotals``; status and delivery time load as enums."""
    mapper_registry.map_imperatively(
        OrderLine,
        order_items,
        properties={"variant": order_items.c.product_variant, "stored_total": order_items.c.total_price},
    )
    mapper_registry.map_imperatively(
        Order,
        orders,
        properties={
            # Eager, in a second statement (no outer join under the order's FOR UPDATE); lines never change.
            "lines": relationship(OrderLine, lazy="selectin", order_by=order_items.c.id, cascade="all, delete-orphan"),
            "totals": composite(
                OrderTotals,
                orders.c.subtotal,
                orders.c.tax_amount,
                orders.c.shipping_cost,
                orders.c.discount_amount,
                orders.c.total_amount,
            ),
        },
    )
    load_as_enums(Order, status=OrderStatus, preferred_delivery_time=DeliveryTime, tax_mode=TaxMode)
    event.listen(OrderLine, "before_insert", _line_total)
    event.listen(Order, "before_insert", _order_updated_at)
    # GST mode (migration 0049): place_of_supply and tax_breakup are the domain's objects over nine columns
    # (one nests the other, which a composite cannot): written before the insert, built on load; never updated.
    event.listen(Order, "before_insert", _gst_columns)
    event.listen(Order, "load", _gst_objects)
    event.listen(Order, "refresh", _gst_objects)


def load_as_enums(cls: type, **enums: type[Enum]) -> None:
    """Columns that hold an enum's value load as the enum (the domain compares with ``is``), also when a
    locking read refreshes an object already loaded; committed, so no UPDATE follows."""

    def convert(target: Any, *_: Any) -> None:
        for name, enum in enums.items():
            value = target.__dict__.get(name)
            if value is not None and not isinstance(value, enum):
                attributes.set_committed_value(target, name, enum(value))

    event.listen(cls, "load", convert)
    event.listen(cls, "refresh", convert)


def _line_total(_mapper: Any, _connection: Any, line: OrderLine) -> None:
    attributes.set_attribute(line, "stored_total", line.total_price)


def _order_updated_at(_mapper: Any, _connection: Any, order: Order) -> None:
    if order.updated_at is None:
        order.updated_at = order.order_date


def _gst_columns(_mapper: Any, _connection: Any, order: Order) -> None:
    for name, value in gst_columns(order).items():
        attributes.set_attribute(order, name, value)


def _gst_objects(order: Order, *_: Any) -> None:
    order.place_of_supply, order.tax_breakup = gst_of(order, order.totals.shipping_cost)


def _card_brand(card: Any, _context: Any) -> None:
    """The column holds the brand's value; the domain holds the enum (committed, so no UPDATE follows)."""
    attributes.set_committed_value(card, "brand", CardBrand(card.brand))


# Gateways' texts may run longer than their columns: cut to fit when written (an empty text is NULL).
_TEXT_SIZES = {"gateway_code": 64, "gateway_message": 255, "failure_reason": 64, "payment_type": 30}


def map_payments() -> None:
    """A payment attempt and its history. A record's outcome is stored lower case (the contract's
    ``transactions``), so the column is ``stored_status`` and ``status`` is derived on load and written back
    before insert; ``refund_status`` is a column for reports, derived from the attempt before each write."""
    mapper_registry.map_imperatively(
        PaymentRecord, payment_transactions, properties={"stored_status": payment_transactions.c.status}
    )
    mapper_registry.map_imperatively(
        Payment,
        payments,
        properties={
            "records": relationship(
                PaymentRecord, lazy="selectin", order_by=payment_transactions.c.id, cascade="all, delete-orphan"
            )
        },
    )
    load_as_enums(Payment, status=PaymentState)
    load_as_enums(PaymentRecord, action=Action)
    for name in ("load", "refresh"):
        event.listen(PaymentRecord, name, _record_status)
    event.listen(PaymentRecord, "before_insert", _record_row)
    event.listen(Payment, "before_insert", _payment_row)
    event.listen(Payment, "before_update", _payment_row)


def _record_status(record: Any, *_: Any) -> None:
    record.status = GatewayState(record.stored_status.upper())


def _record_row(_mapper: Any, _connection: Any, record: PaymentRecord) -> None:
    attributes.set_attribute(record, "stored_status", record.status.value.lower())
    record.code = (record.code or "")[:64] or None


def _payment_row(_mapper: Any, _connection: Any, payment: Payment) -> None:
    for name, size in _TEXT_SIZES.items():
        text = getattr(payment, name)
        if (text is not None and len(text) > size) or text == "":
            setattr(payment, name, text[:size] or None)
    attributes.set_attribute(payment, "refund_status", _refund_status(payment))
    if payment.updated_at is None:
        payment.updated_at = payment.created_at


def _refund_status(payment: Payment) -> str | None:
    """The ``refund_status`` column, kept for reports: derived from the attempt's state, never read back."""
    if payment.refund_id is None:
        return None
    if payment.status is PaymentState.REFUNDED:
        return "COMPLETED"
    return "PENDING" if payment.status is PaymentState.REFUND_PENDING else "FAILED"
