"""Orders, order lines, per-day order numbers, coupon redemptions and idempotency keys; joins the
accounts (0003) and catalog (0010) branches.

Revision ID: 0030
Revises: 0003, 0010
Create Date: 2026-11-29 01:17:31.360580
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import s2cart.adapters.persistence.types

revision = "0030"
down_revision = ("0003", "0010")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "scope", "key", name=op.f("pk_idempotency_keys")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index("ix_idempotency_keys_created_at", ["created_at"], unique=False)

    op.create_table(
        "order_number_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_order_number_days")),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("order_date", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("source_cart_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("subtotal", s2cart.adapters.persistence.types.Money(precision=12, scale=2), nullable=False),
        sa.Column("tax_amount", s2cart.adapters.persistence.types.Money(precision=12, scale=2), nullable=False),
        sa.Column("shipping_cost", s2cart.adapters.persistence.types.Money(precision=12, scale=2), nullable=False),
        sa.Column("discount_amount", s2cart.adapters.persistence.types.Money(precision=12, scale=2), nullable=False),
        sa.Column("total_amount", s2cart.adapters.persistence.types.Money(precision=12, scale=2), nullable=False),
        sa.Column("coupon_code", sa.String(length=32), nullable=True),
        sa.Column("shipping_address", sa.JSON(), nullable=False),
        sa.Column("delivery_instructions", sa.String(length=500), server_default="", nullable=False),
        sa.Column("preferred_delivery_time", sa.String(length=10), server_default="ANYTIME", nullable=False),
        sa.Column(
            "estimated_delivery_date", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("tracking_number", sa.String(length=64), nullable=True),
        sa.Column("carrier_name", sa.String(length=100), nullable=True),
        sa.Column("shipped_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("actual_delivery_date", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("cancellation_reason", sa.String(length=500), nullable=True),
        sa.Column("cancelled_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("paid_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("refund_due", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("updated_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_orders_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("order_number", name=op.f("uq_orders_order_number")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_user_cart", ["user_id", "source_cart_id"], unique=False)
        batch_op.create_index("ix_orders_user_date", ["user_id", "order_date", "id"], unique=False)
        batch_op.create_index("ix_orders_user_total", ["user_id", "total_amount", "id"], unique=False)

    op.create_table(
        "coupon_redemptions",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("coupon_code", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("redeemed_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_coupon_redemptions_order_id_orders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_coupon_redemptions")),
    )
    with op.batch_alter_table("coupon_redemptions", schema=None) as batch_op:
        batch_op.create_index("ix_coupon_redemptions_code_user", ["coupon_code", "user_id"], unique=False)

    op.create_table(
        "order_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("product_image_url", sa.String(length=500), nullable=True),
        sa.Column("product_variant", sa.JSON(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", s2cart.adapters.persistence.types.Money(precision=12, scale=2), nullable=False),
        sa.Column("total_price", s2cart.adapters.persistence.types.Money(precision=12, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_items_order_id_orders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_items")),
    )
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.create_index("ix_order_items_order_id", ["order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("order_items", schema=None) as batch_op:
        batch_op.drop_index("ix_order_items_order_id")

    op.drop_table("order_items")
    with op.batch_alter_table("coupon_redemptions", schema=None) as batch_op:
        batch_op.drop_index("ix_coupon_redemptions_code_user")

    op.drop_table("coupon_redemptions")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_user_total")
        batch_op.drop_index("ix_orders_user_date")
        batch_op.drop_index("ix_orders_user_cart")

    op.drop_table("orders")
    op.drop_table("order_number_days")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_idempotency_keys_created_at")

    op.drop_table("idempotency_keys")
