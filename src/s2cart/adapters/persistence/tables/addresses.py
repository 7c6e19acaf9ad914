"""The address book: one row an address, at most one default per user (a partial unique index)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, text

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import Coordinate, UtcDateTime

addresses = Table(
    "addresses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("contact_name", String(100), nullable=False),
    Column("street_address", String(255), nullable=False),
    Column("street_address_2", String(255), nullable=False, server_default=""),
    Column("landmark", String(255), nullable=False, server_default=""),
    Column("city", String(100), nullable=False),
    Column("state", String(100), nullable=False),
    Column("pin_code", String(6), nullable=False),
    Column("country", String(100), nullable=False, server_default="India"),
    Column("phone_number", String(16), nullable=False),
    Column("address_type", String(8), nullable=False, server_default="HOME"),
    Column("latitude", Coordinate, nullable=True),
    Column("longitude", Coordinate, nullable=True),
    Column("is_default", Boolean, nullable=False, server_default="0"),
    Column("is_verified", Boolean, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
Index("ix_addresses_user_id", addresses.c.user_id)
# The database's half of "exactly one default": a second default row for a user cannot be written.
Index(
    "uq_addresses_one_default",
    addresses.c.user_id,
    unique=True,
    sqlite_where=text("is_default"),
    postgresql_where=text("is_default"),
)
