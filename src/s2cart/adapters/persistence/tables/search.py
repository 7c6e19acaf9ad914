"""Search history: each user's recent searches, newest first by (user_id, searched_at)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import UtcDateTime

search_history = Table(
    "search_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("query", String(255), nullable=False),
    Column("category", String(100), nullable=True),
    Column("results_count", Integer, nullable=False, server_default="0"),
    Column("searched_at", UtcDateTime, nullable=False),
)
Index("ix_search_history_user_searched", search_history.c.user_id, search_history.c.searched_at)
