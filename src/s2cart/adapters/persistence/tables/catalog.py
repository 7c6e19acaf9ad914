from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Column, ForeignKey, Integer, String, Table, Text

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import Money, UtcDateTime

stores = Table(
    "stores",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=True),
    Column("image_url", String(500), nullable=True),
    Column("city", String(100), nullable=True),
    Column("address", String(500), nullable=True),
    Column("pincode", String(6), nullable=True),
    Column("state_code", String(2), nullable=True),
    Column("legal_name", String(200), nullable=True),
    Column("gstin", String(15), nullable=True),
    Column("active", Boolean, nullable=False, server_default="1"),
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
    Column("description", Text, nullable=True),
    Column("category", String(100), nullable=True),
    Column("brand", String(100), nullable=True),
    Column("mrp", Money, nullable=True),
    Column("images", JSON, nullable=False, server_default="[]"),
    Column("unit", String(50), nullable=True),
    Column("hsn_code", String(8), nullable=True),
    Column("gst_rate", Money, nullable=True),  # percent: 0, 0.25, 3, 5, 18 or 40
    Column("active", Boolean, nullable=False, server_default="1"),
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

# Search structures the migrations create beside the tables, spelt per dialect (decision 0032): PostgreSQL's
# products.search_document (a generated tsvector) and its GIN and trigram indexes, SQLite's FTS5 table with
# its shadow tables and triggers.
# Alembic's comparison with this metadata leaves them out.
SEARCH_OBJECT_PREFIXES = (
    "search_document",
    "products_fts",
    "ix_products_search",
    "ix_products_name_trgm",
    "ix_stores_name_trgm",
)


def is_search_object(name: str | None) -> bool:
    return name is not None and name.startswith(SEARCH_OBJECT_PREFIXES)


# One row: a number every change to what a product search ranks, filters or counts by moves on (decision 0052).
# Triggers (migration 0051) bump it in the writing transaction: products' name, description, category, brand,
# price, active and keys, inserts and deletes; stores' active and id. Not stock: checkout's updates leave it be.
catalog_version = Table(
    "catalog_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigInteger, nullable=False),
    CheckConstraint("id = 1", name="one_row"),
)
