"""Imperative mapping: domain classes stay plain; SQLAlchemy learns their tables here, once."""

from __future__ import annotations

from sqlalchemy.orm import registry, relationship

from s2cart.adapters.persistence.tables.accounts import one_time_codes, sessions
from s2cart.adapters.persistence.tables.addresses import addresses
from s2cart.adapters.persistence.tables.search import search_history
from s2cart.adapters.persistence.tables.support import support_tickets, ticket_messages
from s2cart.adapters.persistence.tables.users import users
from s2cart.domain.addresses.address import Address
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
    _started = True
