"""GST mode: how an order was taxed, its place of supply and its tax by head; each line's HSN code, rate,
taxable value and tax by head (S2CART_TAX_MODE=gst; NULL in contract mode, which existing rows were).

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-06 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from s2cart.adapters.persistence.types import Money

revision = "0049"
down_revision = "0048"
branch_labels = None
depends_on = None

_ORDER_COLUMNS = (
    ("place_of_supply_code", sa.String(2)),
    ("place_of_supply_state", sa.String(100)),
    ("cgst_amount", Money()),
    ("sgst_amount", Money()),
    ("igst_amount", Money()),
    ("shipping_gst_rate", Money()),
    ("shipping_cgst_amount", Money()),
    ("shipping_sgst_amount", Money()),
    ("shipping_igst_amount", Money()),
)
_ITEM_COLUMNS = (
    ("hsn_code", sa.String(8)),
    ("gst_rate", Money()),
    ("taxable_value", Money()),
    ("cgst_amount", Money()),
    ("sgst_amount", Money()),
    ("igst_amount", Money()),
)


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("tax_mode", sa.String(8), nullable=False, server_default="contract"))
        for name, kind in _ORDER_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    with op.batch_alter_table("order_items") as batch:
        for name, kind in _ITEM_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_items") as batch:
        for name, _ in reversed(_ITEM_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("orders") as batch:
        for name, _ in reversed(_ORDER_COLUMNS):
            batch.drop_column(name)
        batch.drop_column("tax_mode")
