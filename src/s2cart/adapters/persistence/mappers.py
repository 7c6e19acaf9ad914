"""Imperative mapping: domain classes stay plain; SQLAlchemy learns their tables here, once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import attributes, registry, relationship

from s2cart.adapters.persistence.tables.accounts import one_time_codes, sessions
from s2cart.adapters.persistence.tables.addresses import addresses
from s2cart.adapters.persistence.tables.payments import saved_cards, saved_upi_ids
from s2cart.adapters.persistence.tables.search import search_history
from s2cart.adapters.persistence.tables.support import support_tickets, ticket_messages
from s2cart.adapters.persistence.tables.users import users
from s2cart.domain.addresses.address import Address
from s2cart.domain.payments.methods import CardBrand, SavedCard, SavedUpi
from s2cart.domain.search.history import SearchEntry
from s2cart.domain.sessions.session import Session
from s2cart.domain.support.ticket import SupportTicket, TicketMessage
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
    _started = True


def _card_brand(card: Any, _context: Any) -> None:
    """The column holds the brand's value; the domain holds the enum (committed, so no UPDATE follows)."""
    attributes.set_committed_value(card, "brand", CardBrand(card.brand))
