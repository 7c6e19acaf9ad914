"""Orders, their lines, the per-day order-number sequence, coupon redemptions and idempotency keys."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, LargeBinary, String, Table

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import Money, UtcDateTime

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("order_number", String(32), nullable=False, unique=True),
    Column("status", String(20), nullable=False),
    Column("order_date", UtcDateTime, nullable=False),
    Column("source_cart_id", Integer, nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("subtotal", Money, nullable=False),
    Column("tax_amount", Money, nullable=False),
    Column("shipping_cost", Money, nullable=False),
    Column("discount_amount", Money, nullable=False),
    Column("total_amount", Money, nullable=False),
    Column("coupon_code", String(32), nullable=True),
    Column("shipping_address", JSON, nullable=False),
    Column("delivery_instructions", String(500), nullable=False, server_default=""),
    Column("preferred_delivery_time", String(10), nullable=False, server_default="ANYTIME"),
    Column("estimated_delivery_date", UtcDateTime, nullable=False),
    Column("tracking_number", String(64), nullable=True),
    Column("carrier_name", String(100), nullable=True),
    Column("shipped_at", UtcDateTime, nullable=True),
    Column("actual_delivery_date", UtcDateTime, nullable=True),
    Column("cancellation_reason", String(500), nullable=True),
    Column("cancelled_at", UtcDateTime, nullable=True),
    Column("paid_at", UtcDateTime, nullable=True),
    Column("refund_due", Boolean, nullable=False, server_default="0"),
    Column("updated_at", UtcDateTime, nullable=False),
    # GST mode (migration 0049): how the order was taxed; the rest is NULL in contract mode.
    Column("tax_mode", String(8), nullable=False, server_default="contract"),
    Column("place_of_supply_code", String(2), nullable=True),
    Column("place_of_supply_state", String(100), nullable=True),
    Column("cgst_amount", Money, nullable=True),  # totals over the lines and shipping
    Column("sgst_amount", Money, nullable=True),
    Column("igst_amount", Money, nullable=True),
    Column("shipping_gst_rate", Money, nullable=True),  # percent; shipping's taxable value is shipping_cost
    Column("shipping_cgst_amount", Money, nullable=True),
    Column("shipping_sgst_amount", Money, nullable=True),
    Column("shipping_igst_amount", Money, nullable=True),
)
# The order pages: a user's orders newest first (and by amount), found by index at any page depth.
Index("ix_orders_user_date", orders.c.user_id, orders.c.order_date, orders.c.id)
Index("ix_orders_user_total", orders.c.user_id, orders.c.total_amount, orders.c.id)
Index("ix_orders_user_cart", orders.c.user_id, orders.c.source_cart_id)

order_items = Table(
    "order_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("product_id", String(64), nullable=False),
    Column("product_name", String(200), nullable=False),
    Column("product_image_url", String(500), nullable=True),
    Column("product_variant", JSON, nullable=True),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Money, nullable=False),
    Column("total_price", Money, nullable=False),
    # GST mode (migration 0049), NULL in contract mode.
    Column("hsn_code", String(8), nullable=True),
    Column("gst_rate", Money, nullable=True),  # percent
    Column("taxable_value", Money, nullable=True),
    Column("cgst_amount", Money, nullable=True),
    Column("sgst_amount", Money, nullable=True),
    Column("igst_amount", Money, nullable=True),
)
Index("ix_order_items_order_id", order_items.c.order_id)

order_number_days = Table(
    "order_number_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

coupon_redemptions = Table(
    "coupon_redemptions",
    metadata,
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True),
    Column("coupon_code", String(32), nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("redeemed_at", UtcDateTime, nullable=False),
)
Index("ix_coupon_redemptions_code_user", coupon_redemptions.c.coupon_code, coupon_redemptions.c.user_id)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("user_id", Integer, primary_key=True),
    Column("scope", String(32), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # The request holding an unanswered key, and until when (a retry may take the key over after it).
    Column("claim_token", String(32), nullable=True),
    Column("lease_until", UtcDateTime, nullable=True),
)
Index("ix_idempotency_keys_created_at", idempotency_keys.c.created_at)
