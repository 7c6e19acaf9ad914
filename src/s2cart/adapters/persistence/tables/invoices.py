"""Tax invoices and credit notes (decision 0037): each document as issued, and the per-store, per-year counters
that number them.

``document`` holds the whole document as it was issued (JSON, amounts as strings); the columns beside it are
what lists and returns look documents up by. Documents are never updated and never deleted with their order:
the foreign key has no cascade (GST records are kept for years).
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from s2cart.adapters.persistence.tables.metadata import metadata
from s2cart.adapters.persistence.types import Money, UtcDateTime

tax_documents = Table(
    "tax_documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("store_id", String(64), nullable=False),
    Column("series", String(12), nullable=False),  # INVOICE or CREDIT_NOTE
    Column("financial_year", Integer, nullable=False),  # the year it starts in: 2026 is 2026-27
    Column("serial", Integer, nullable=False),
    Column("number", String(16), nullable=False),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("invoice_date", Date, nullable=False),  # the Indian calendar day it was issued
    Column("place_of_supply_code", String(2), nullable=False),
    Column("taxable_value", Money, nullable=False),
    Column("total_amount", Money, nullable=False),
    Column("refers_to_id", Integer, ForeignKey("tax_documents.id"), nullable=True),
    Column("document", JSON, nullable=False),
    UniqueConstraint("store_id", "series", "financial_year", "serial", name="uq_tax_documents_serial"),
    UniqueConstraint("store_id", "number", name="uq_tax_documents_number"),
    UniqueConstraint("order_id", "series", name="uq_tax_documents_order_series"),
)
Index("ix_tax_documents_store_date", tax_documents.c.store_id, tax_documents.c.invoice_date, tax_documents.c.id)
Index("ix_tax_documents_number", tax_documents.c.number)

tax_document_counters = Table(
    "tax_document_counters",
    metadata,
    Column("store_id", String(64), primary_key=True),
    Column("series", String(12), primary_key=True),
    Column("financial_year", Integer, primary_key=True),
    Column("last_value", Integer, nullable=False),
)
