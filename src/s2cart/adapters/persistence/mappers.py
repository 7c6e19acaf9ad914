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
from s2cart.adapters.persistence.tables.payments import saved_cards, saved_upi_ids
from s2cart.adapters.persistence.tables.search import search_history
from s2cart.adapters.persistence.tables.support import support_tickets, ticket_messages
from s2cart.adapters.persistence.tables.users import users
from s2cart.domain.addresses.address import Address
from s2cart.domain.orders.order import DeliveryTime, Order, OrderLine
from s2cart.domain.orders.pricing import OrderTotals
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.methods import CardBrand, SavedCard, SavedUpi
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
