"""Support tickets and the messages on them."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import UtcDateTime

support_tickets = Table(
    "support_tickets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("category", String(16), nullable=False),
    Column("priority", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
Index("ix_support_tickets_user_updated", support_tickets.c.user_id, support_tickets.c.updated_at)

ticket_messages = Table(
    "ticket_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", Integer, ForeignKey("support_tickets.id", ondelete="CASCADE"), nullable=False),
    Column("message", Text, nullable=False),
    Column("is_user_message", Boolean, nullable=False),
    Column("attachment_url", String(500), nullable=True),
    Column("sent_at", UtcDateTime, nullable=False),
)
Index("ix_ticket_messages_ticket_sent", ticket_messages.c.ticket_id, ticket_messages.c.sent_at)
