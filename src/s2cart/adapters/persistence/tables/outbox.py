from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Text

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import UtcDateTime

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("topic", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
)
Index("ix_outbox_pending", outbox.c.delivered_at, outbox.c.next_attempt_at)
