"""Catalog (stores, products, coupons) and carts with their lines.

Revision ID: 0010
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from s2cart.adapters.persistence.types import Money, UtcDateTime

revision = "0010"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stores",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stores"),
    )
    op.create_table(
        "products",
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("price", Money(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=True),
        sa.Column("image_url", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("store_id", "id", name="pk_products"),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name="fk_products_store_id_stores"),
        sa.CheckConstraint("stock IS NULL OR stock >= 0", name="ck_products_stock_not_negative"),
    )
    op.create_table(
        "coupons",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("min_subtotal", Money(), nullable=True),
        sa.Column("max_discount", Money(), nullable=True),
        sa.Column("valid_from", UtcDateTime(), nullable=True),
        sa.Column("valid_until", UtcDateTime(), nullable=True),
        sa.Column("usage_limit", sa.Integer(), nullable=True),
        sa.Column("per_user_limit", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("code", name="pk_coupons"),
        sa.CheckConstraint("kind IN ('PERCENT', 'FLAT')", name="ck_coupons_kind"),
    )
    op.create_table(
        "carts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_carts"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_carts_user_id_users", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name="fk_carts_store_id_stores"),
        sa.UniqueConstraint("user_id", "store_id", name="uq_carts_user_id_store_id"),
        sa.UniqueConstraint("user_id", "slot", name="uq_carts_user_id_slot"),
        sa.CheckConstraint("slot BETWEEN 1 AND 5", name="ck_carts_slot_in_range"),
    )
    op.create_table(
        "cart_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cart_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("variant_key", sa.String(500), nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("product_image_url", sa.String(500), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", Money(), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cart_items"),
        sa.ForeignKeyConstraint(["cart_id"], ["carts.id"], name="fk_cart_items_cart_id_carts", ondelete="CASCADE"),
        sa.UniqueConstraint(
            "cart_id", "product_id", "variant_key", name="uq_cart_items_cart_id_product_id_variant_key"
        ),
        sa.CheckConstraint("quantity >= 1", name="ck_cart_items_quantity_positive"),
    )


def downgrade() -> None:
    op.drop_table("cart_items")
    op.drop_table("carts")
    op.drop_table("coupons")
    op.drop_table("products")
    op.drop_table("stores")
