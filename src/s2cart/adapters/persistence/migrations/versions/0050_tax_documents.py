"""Tax invoices and credit notes (decision 0037): tax_documents, and tax_document_counters numbering them per
store, series and financial year.

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-06 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from s2cart.adapters.persistence.types import Money, UtcDateTime

revision = "0050"
down_revision = "0049"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tax_documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("store_id", sa.String(64), nullable=False),
        sa.Column("series", sa.String(12), nullable=False),
        sa.Column("financial_year", sa.Integer, nullable=False),
        sa.Column("serial", sa.Integer, nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("invoice_date", sa.Date, nullable=False),
        sa.Column("place_of_supply_code", sa.String(2), nullable=False),
        sa.Column("taxable_value", Money(), nullable=False),
        sa.Column("total_amount", Money(), nullable=False),
        sa.Column("refers_to_id", sa.Integer, sa.ForeignKey("tax_documents.id"), nullable=True),
        sa.Column("document", sa.JSON, nullable=False),
        sa.UniqueConstraint("store_id", "series", "financial_year", "serial", name="uq_tax_documents_serial"),
        sa.UniqueConstraint("store_id", "number", name="uq_tax_documents_number"),
        sa.UniqueConstraint("order_id", "series", name="uq_tax_documents_order_series"),
    )
    op.create_index("ix_tax_documents_store_date", "tax_documents", ["store_id", "invoice_date", "id"])
    op.create_index("ix_tax_documents_number", "tax_documents", ["number"])
    op.create_table(
        "tax_document_counters",
        sa.Column("store_id", sa.String(64), primary_key=True),
        sa.Column("series", sa.String(12), primary_key=True),
        sa.Column("financial_year", sa.Integer, primary_key=True),
        sa.Column("last_value", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tax_document_counters")
    op.drop_index("ix_tax_documents_number", table_name="tax_documents")
    op.drop_index("ix_tax_documents_store_date", table_name="tax_documents")
    op.drop_table("tax_documents")
