"""The customer's documents (GET /orders/{id}/invoice/ and /credit-note/, JSON or PDF) and the accountant's
reads (``s2cart invoices show|list``)."""

from __future__ import annotations

from datetime import date

from s2cart.application.ports.invoices import DocumentRenderer, TaxDocumentReader
from s2cart.domain.invoices.invoice import TaxDocument, why_no_document
from s2cart.domain.invoices.numbering import Series
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.shared.errors import NotFound, ValidationFailed
from s2cart.domain.shared.ids import is_storable_id

MAX_DAYS = 366  # one listing covers at most a year: a return is filed for a month or a quarter


class GetTaxDocument:
    """- Another user's order, or none: 404 (the same answer).
    - The document when issued; otherwise 409 saying why (not paid, contract mode, a store without a GSTIN,
      not cancelled after its invoice)."""

    def __init__(self, reader: TaxDocumentReader) -> None:
        self._reader = reader

    async def __call__(self, user_id: int, order_id: int, series: Series) -> TaxDocument:
        found = await self._reader.of_order(user_id, order_id, series) if is_storable_id(order_id) else None
        if found is None:
            raise OrderNotFound()
        if found.document is None:
            raise why_no_document(found.standing, series)
        return found.document


class RenderTaxDocument:
    """The same document as a PDF."""

    def __init__(self, reader: TaxDocumentReader, renderer: DocumentRenderer) -> None:
        self._get = GetTaxDocument(reader)
        self._renderer = renderer

    async def __call__(self, user_id: int, order_id: int, series: Series) -> tuple[TaxDocument, bytes]:
        document = await self._get(user_id, order_id, series)
        return document, await self._renderer.pdf(document)


class FindTaxDocuments:
    """The accountant's reads: one number (in a store, when several stores use it), or a store's documents
    dated within a period."""

    def __init__(self, reader: TaxDocumentReader) -> None:
        self._reader = reader

    async def by_number(self, number: str, store_id: str | None = None) -> list[TaxDocument]:
        found = await self._reader.by_number(number.strip().upper(), store_id)
        if not found:
            raise NotFound(f"No invoice or credit note numbered {number}" + (f" in {store_id}" if store_id else ""))
        return found

    async def between(self, store_id: str, first: date, last: date) -> list[TaxDocument]:
        problem = None
        if last < first:
            problem = "The period ends before it starts."
        elif (last - first).days >= MAX_DAYS:
            problem = f"A period is at most {MAX_DAYS} days."
        if problem is not None:
            raise ValidationFailed(problem, errors={"to": [problem]})
        return await self._reader.issued_between(store_id, first, last)
