from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Integer, String, Table

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import Money, UtcDateTime

stores = Table(
    "stores",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
)

# Product ids are the store's own: two stores may both sell a 'prod_002'.
products = Table(
    "products",
    metadata,
    Column("store_id", String(64), ForeignKey("stores.id"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("price", Money, nullable=False),
    Column("stock", Integer, nullable=True),  # NULL: not tracked
    Column("image_url", String(500), nullable=True),
    CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),
)

coupons = Table(
    "coupons",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("value", Money, nullable=False),
    Column("min_subtotal", Money, nullable=True),
    Column("max_discount", Money, nullable=True),
    Column("valid_from", UtcDateTime, nullable=True),
    Column("valid_until", UtcDateTime, nullable=True),
    Column("usage_limit", Integer, nullable=True),
    Column("per_user_limit", Integer, nullable=True),
    Column("active", Boolean, nullable=False, server_default="1"),
    CheckConstraint("kind IN ('PERCENT', 'FLAT')", name="kind"),
)
