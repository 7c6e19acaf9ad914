"""Payment attempts and their history, gateway notifications, saved cards and UPI ids.

Revision ID: 0040
Revises: 0020, 0030
Create Date: 2026-11-29 01:45:04.839702
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import s2cart.adapters.persistence.types

revision = "0040"
down_revision = ("0020", "0030")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_cards",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("card_type", sa.String(length=12), nullable=False),
        sa.Column("last_four", sa.String(length=4), nullable=False),
        sa.Column("expiry_month", sa.SmallInteger(), nullable=False),
        sa.Column("expiry_year", sa.SmallInteger(), nullable=False),
        sa.Column("holder_name", sa.String(length=100), nullable=False),
        sa.Column("nickname", sa.String(length=50), nullable=True),
        sa.Column("sealed_token", sa.Text(), nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("expiry_month BETWEEN 1 AND 12", name=op.f("ck_saved_cards_expiry_month_range")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_saved_cards_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_cards")),
        sa.UniqueConstraint(
            "user_id",
            "card_type",
            "last_four",
            "expiry_month",
            "expiry_year",
            name=op.f("uq_saved_cards_user_id_card_type_last_four_expiry_month_expiry_year"),
        ),
    )
    with op.batch_alter_table("saved_cards", schema=None) as batch_op:
        batch_op.create_index(
            "uq_saved_cards_one_default",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        )

    op.create_table(
        "saved_upi_ids",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("upi_id", sa.String(length=255), nullable=False),
        sa.Column("nickname", sa.String(length=50), nullable=True),
        sa.Column("is_default", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_saved_upi_ids_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_upi_ids")),
        sa.UniqueConstraint("user_id", "upi_id", name=op.f("uq_saved_upi_ids_user_id_upi_id")),
    )
    with op.batch_alter_table("saved_upi_ids", schema=None) as batch_op:
        batch_op.create_index(
            "uq_saved_upi_ids_one_default",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        )

    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("gateway", sa.String(length=10), nullable=False),
        sa.Column("transaction_id", sa.String(length=40), nullable=False),
        sa.Column("gateway_order_id", sa.String(length=40), nullable=False),
        sa.Column("amount", s2cart.adapters.persistence.types.Money(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("retry_of", sa.Integer(), nullable=True),
        sa.Column("retry_number", sa.SmallInteger(), nullable=True),
        sa.Column("payment_type", sa.String(length=30), nullable=True),
        sa.Column("gateway_transaction_id", sa.String(length=64), nullable=True),
        sa.Column("gateway_code", sa.String(length=64), nullable=True),
        sa.Column("gateway_message", sa.String(length=255), nullable=True),
        sa.Column("failure_reason", sa.String(length=64), nullable=True),
        sa.Column("captured_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("refund_due", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("refund_id", sa.String(length=40), nullable=True),
        sa.Column("refund_status", sa.String(length=10), nullable=True),
        sa.Column("gateway_refund_id", sa.String(length=64), nullable=True),
        sa.Column("refunded_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_checked_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("next_check_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status NOT IN ('COMPLETED', 'REFUND_PENDING', 'REFUNDED') OR captured_at IS NOT NULL",
            name=op.f("ck_payments_captured_has_time"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_amount_positive")),
        sa.CheckConstraint(
            "retry_number IS NULL OR retry_number BETWEEN 1 AND 3", name=op.f("ck_payments_retry_number_range")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_payments_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["retry_of"], ["payments.id"], name=op.f("fk_payments_retry_of_payments"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_payments_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("gateway", "gateway_order_id", name=op.f("uq_payments_gateway_gateway_order_id")),
        sa.UniqueConstraint("order_id", "retry_number", name=op.f("uq_payments_order_id_retry_number")),
        sa.UniqueConstraint("refund_id", name=op.f("uq_payments_refund_id")),
        sa.UniqueConstraint("retry_of", name=op.f("uq_payments_retry_of")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_payments_transaction_id")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index("ix_payments_next_check_at", ["next_check_at"], unique=False)
        batch_op.create_index("ix_payments_order_id", ["order_id", "id"], unique=False)
        batch_op.create_index("ix_payments_user_created", ["user_id", "created_at", "id"], unique=False)

    op.create_table(
        "payment_notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("gateway", sa.String(length=10), nullable=False),
        sa.Column("gateway_order_id", sa.String(length=64), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("claimed", sa.String(length=10), nullable=True),
        sa.Column("amount", s2cart.adapters.persistence.types.Money(precision=12, scale=2), nullable=True),
        sa.Column("gateway_txn_id", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.String(length=255), nullable=True),
        sa.Column("received_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_notifications_payment_id_payments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_notifications")),
    )
    with op.batch_alter_table("payment_notifications", schema=None) as batch_op:
        batch_op.create_index("ix_payment_notifications_payment_id", ["payment_id"], unique=False)
        batch_op.create_index("ix_payment_notifications_received_at", ["received_at"], unique=False)

    op.create_table(
        "payment_transactions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("amount", s2cart.adapters.persistence.types.Money(precision=12, scale=2), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("created_at", s2cart.adapters.persistence.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_transactions_payment_id_payments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_transactions")),
    )
    with op.batch_alter_table("payment_transactions", schema=None) as batch_op:
        batch_op.create_index("ix_payment_transactions_payment_id", ["payment_id"], unique=False)
        batch_op.create_index(
            "uq_payment_transactions_one_capture",
            ["payment_id"],
            unique=True,
            sqlite_where=sa.text("action = 'capture'"),
            postgresql_where=sa.text("action = 'capture'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_transactions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_payment_transactions_one_capture",
            sqlite_where=sa.text("action = 'capture'"),
            postgresql_where=sa.text("action = 'capture'"),
        )
        batch_op.drop_index("ix_payment_transactions_payment_id")

    op.drop_table("payment_transactions")
    with op.batch_alter_table("payment_notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_notifications_received_at")
        batch_op.drop_index("ix_payment_notifications_payment_id")

    op.drop_table("payment_notifications")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index("ix_payments_user_created")
        batch_op.drop_index("ix_payments_order_id")
        batch_op.drop_index("ix_payments_next_check_at")

    op.drop_table("payments")
    with op.batch_alter_table("saved_upi_ids", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_saved_upi_ids_one_default", sqlite_where=sa.text("is_default"), postgresql_where=sa.text("is_default")
        )

    op.drop_table("saved_upi_ids")
    with op.batch_alter_table("saved_cards", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_saved_cards_one_default", sqlite_where=sa.text("is_default"), postgresql_where=sa.text("is_default")
        )

    op.drop_table("saved_cards")
