"""Tax documents read in Core: a customer's (one statement: the order, its store and the document asked for)
and the accountant's (by number, or a store's documents dated within a period)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, select

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.catalog import stores
from s2cart.adapters.persistence.tables.invoices import tax_documents
from s2cart.adapters.persistence.tables.orders import orders
from s2cart.adapters.persistence.tax_document_codec import from_json
from s2cart.application.ports.invoices import DocumentLookup
from s2cart.domain.catalog.store import Store
from s2cart.domain.invoices.invoice import Standing, TaxDocument
from s2cart.domain.invoices.numbering import Series
from s2cart.domain.tax.gst import TaxMode


class SqlAlchemyTaxDocumentReader(Reader):
    async def of_order(self, user_id: int, order_id: int, series: Series) -> DocumentLookup | None:
        query = (
            select(
                orders.c.store_id,
                orders.c.tax_mode,
                orders.c.place_of_supply_code,
                orders.c.paid_at,
                stores.c.name.label("store_name"),
                stores.c.state_code,
                stores.c.legal_name,
                stores.c.gstin,
                tax_documents.c.id.label("document_id"),
                tax_documents.c.document,
            )
            .select_from(orders)
            .outerjoin(stores, stores.c.id == orders.c.store_id)
            .outerjoin(
                tax_documents,
                and_(tax_documents.c.order_id == orders.c.id, tax_documents.c.series == series.value),
            )
            .where(orders.c.id == order_id, orders.c.user_id == user_id)
        )
        async with self.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            return None
        store = None
        if row.store_name is not None:
            store = Store(
                id=row.store_id,
                name=row.store_name,
                state_code=row.state_code,
                legal_name=row.legal_name,
                gstin=row.gstin,
            )
        gst_mode = row.tax_mode == TaxMode.GST.value and row.place_of_supply_code is not None
        standing = Standing(row.store_id, gst_mode, row.paid_at is not None, store)
        document = None if row.document_id is None else from_json(row.document, row.document_id)
        return DocumentLookup(standing, document)

    async def by_number(self, number: str, store_id: str | None = None) -> list[TaxDocument]:
        conditions = [tax_documents.c.number == number]
        if store_id is not None:
            conditions.append(tax_documents.c.store_id == store_id)
        return await self._documents(conditions)

    async def issued_between(self, store_id: str, first: date, last: date) -> list[TaxDocument]:
        return await self._documents(
            [
                tax_documents.c.store_id == store_id,
                tax_documents.c.invoice_date >= first,
                tax_documents.c.invoice_date <= last,
            ]
        )

    async def _documents(self, conditions: list[Any]) -> list[TaxDocument]:
        query = (
            select(tax_documents.c.id, tax_documents.c.document)
            .where(*conditions)
            .order_by(tax_documents.c.invoice_date, tax_documents.c.series, tax_documents.c.serial)
        )
        async with self.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [from_json(row.document, row.id) for row in rows]
