"""Payment attempts, their history records, gateway notifications, and saved cards and UPI ids.

The rules the domain enforces are held here too, so no code path can break them: one capture record per
attempt, a captured status always has its capture time, an attempt is retried at most once, an order
has at most three retries, one default card and one default UPI id per user.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import Money, UtcDateTime

MAX_RETRIES = 3

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("gateway", String(10), nullable=False),
    Column("transaction_id", String(40), nullable=False, unique=True),
    Column("gateway_order_id", String(40), nullable=False),
    Column("amount", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("retry_of", Integer, ForeignKey("payments.id", ondelete="SET NULL"), nullable=True, unique=True),
    Column("retry_number", SmallInteger, nullable=True),
    Column("payment_type", String(30), nullable=True),
    Column("gateway_transaction_id", String(64), nullable=True),
    Column("gateway_code", String(64), nullable=True),
    Column("gateway_message", String(255), nullable=True),
    Column("failure_reason", String(64), nullable=True),
    Column("captured_at", UtcDateTime, nullable=True),
    Column("refund_due", Boolean, nullable=False, server_default="0"),
    Column("refund_id", String(40), nullable=True, unique=True),
    Column("refund_status", String(10), nullable=True),
    Column("gateway_refund_id", String(64), nullable=True),
    Column("refunded_at", UtcDateTime, nullable=True),
    Column("last_checked_at", UtcDateTime, nullable=True),
    Column("next_check_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("gateway", "gateway_order_id"),
    UniqueConstraint("order_id", "retry_number"),
    CheckConstraint(f"retry_number IS NULL OR retry_number BETWEEN 1 AND {MAX_RETRIES}", name="retry_number_range"),
    CheckConstraint(
        "status NOT IN ('COMPLETED', 'REFUND_PENDING', 'REFUNDED') OR captured_at IS NOT NULL",
        name="captured_has_time",
    ),
    CheckConstraint("amount > 0", name="amount_positive"),
)
Index("ix_payments_order_id", payments.c.order_id, payments.c.id)
Index("ix_payments_user_created", payments.c.user_id, payments.c.created_at, payments.c.id)
Index("ix_payments_next_check_at", payments.c.next_check_at)

payment_transactions = Table(
    "payment_transactions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("payment_id", Integer, ForeignKey("payments.id", ondelete="CASCADE"), nullable=False),
    Column("action", String(10), nullable=False),
    Column("status", String(10), nullable=False),
    Column("amount", Money, nullable=False),
    Column("code", String(64), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)
Index("ix_payment_transactions_payment_id", payment_transactions.c.payment_id)
# Never two captures of one attempt, whoever writes.
Index(
    "uq_payment_transactions_one_capture",
    payment_transactions.c.payment_id,
    unique=True,
    sqlite_where=text("action = 'capture'"),
    postgresql_where=text("action = 'capture'"),
)

payment_notifications = Table(
    "payment_notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("gateway", String(10), nullable=False),
    Column("gateway_order_id", String(64), nullable=False),
    Column("payment_id", Integer, ForeignKey("payments.id", ondelete="SET NULL"), nullable=True),
    Column("result", String(20), nullable=False),
    Column("claimed", String(10), nullable=True),
    Column("amount", Money, nullable=True),
    Column("gateway_txn_id", String(64), nullable=True),
    Column("detail", String(255), nullable=True),
    Column("received_at", UtcDateTime, nullable=False),
)
Index("ix_payment_notifications_payment_id", payment_notifications.c.payment_id)
Index("ix_payment_notifications_received_at", payment_notifications.c.received_at)

saved_cards = Table(
    "saved_cards",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("card_type", String(12), nullable=False),
    Column("last_four", String(4), nullable=False),
    Column("expiry_month", SmallInteger, nullable=False),
    Column("expiry_year", SmallInteger, nullable=False),
    Column("holder_name", String(100), nullable=False),
    Column("nickname", String(50), nullable=True),
    Column("sealed_token", Text, nullable=False),
    Column("is_default", Boolean, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("user_id", "card_type", "last_four", "expiry_month", "expiry_year"),
    CheckConstraint("expiry_month BETWEEN 1 AND 12", name="expiry_month_range"),
)
Index(
    "uq_saved_cards_one_default",
    saved_cards.c.user_id,
    unique=True,
    sqlite_where=text("is_default"),
    postgresql_where=text("is_default"),
)

saved_upi_ids = Table(
    "saved_upi_ids",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("upi_id", String(255), nullable=False),
    Column("nickname", String(50), nullable=True),
    Column("is_default", Boolean, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("user_id", "upi_id"),
)
Index(
    "uq_saved_upi_ids_one_default",
    saved_upi_ids.c.user_id,
    unique=True,
    sqlite_where=text("is_default"),
    postgresql_where=text("is_default"),
)
