"""Tax documents in Core (decision 0031's exception 2 for the counter: one upsert ... RETURNING whose row lock
holds until the transaction ends, so serials are consecutive and never repeat under concurrency)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.invoices import tax_document_counters, tax_documents
from s2cart.adapters.persistence.tax_document_codec import from_json, to_json
from s2cart.domain.invoices.invoice import TaxDocument
from s2cart.domain.invoices.numbering import Series


class SqlAlchemyTaxDocumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def next_serial(self, store_id: str, series: Series, financial_year: int) -> int:
        dialect = self._session.bind.dialect.name
        insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert_(tax_document_counters).values(
            store_id=store_id, series=series.value, financial_year=financial_year, last_value=1
        )
        result = await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[
                    tax_document_counters.c.store_id,
                    tax_document_counters.c.series,
                    tax_document_counters.c.financial_year,
                ],
                set_={"last_value": tax_document_counters.c.last_value + 1},
            ).returning(tax_document_counters.c.last_value)
        )
        return int(result.scalar_one())

    async def add(self, document: TaxDocument) -> TaxDocument:
        refers_to_id = None
        if document.refers_to_number is not None:
            query = select(tax_documents.c.id).where(
                tax_documents.c.store_id == document.store_id, tax_documents.c.number == document.refers_to_number
            )
            refers_to_id = (await self._session.execute(query)).scalar_one()
        result = await self._session.execute(
            insert(tax_documents)
            .values(
                store_id=document.store_id,
                series=document.series.value,
                financial_year=document.financial_year,
                serial=document.serial,
                number=document.number,
                order_id=document.order_id,
                user_id=document.user_id,
                issued_at=document.issued_at,
                invoice_date=document.invoice_date,
                place_of_supply_code=document.place_of_supply.state_code,
                taxable_value=document.totals.taxable_value,
                total_amount=document.totals.total_amount,
                refers_to_id=refers_to_id,
                document=to_json(document),
            )
            .returning(tax_documents.c.id)
        )
        return replace(document, id=result.scalar_one())

    async def of_order(self, order_id: int, series: Series) -> TaxDocument | None:
        query = select(tax_documents.c.id, tax_documents.c.document).where(
            tax_documents.c.order_id == order_id, tax_documents.c.series == series.value
        )
        row = (await self._session.execute(query)).first()
        return None if row is None else from_json(row.document, row.id)
