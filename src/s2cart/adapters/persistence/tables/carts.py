from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
)

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import Money, UtcDateTime

# Each cart takes one of five numbered slots: with UNIQUE (user_id, slot) the database itself holds
# the five-cart limit, whatever code path inserts a cart.
MAX_SLOTS = 5

carts = Table(
    "carts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("slot", SmallInteger, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # The coupon held on the cart (normalized code). No foreign key: a code the catalog no longer has
    # shows with no discount and is refused at checkout, it does not block a catalog load.
    Column("coupon_code", String(32), nullable=True),
    UniqueConstraint("user_id", "store_id"),
    UniqueConstraint("user_id", "slot"),
    CheckConstraint(f"slot BETWEEN 1 AND {MAX_SLOTS}", name="slot_in_range"),
)

cart_items = Table(
    "cart_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("cart_id", Integer, ForeignKey("carts.id", ondelete="CASCADE"), nullable=False),
    Column("product_id", String(64), nullable=False),
    # Canonical JSON of the variant ('' for none), so equal variants collide in the unique key.
    Column("variant_key", String(500), nullable=False),
    Column("product_name", String(200), nullable=False),
    Column("product_image_url", String(500), nullable=True),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Money, nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("cart_id", "product_id", "variant_key"),
    CheckConstraint("quantity >= 1", name="quantity_positive"),
)
