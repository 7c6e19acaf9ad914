"""Ports for tax invoices and credit notes: their store (in the unit of work, beside the order that pays or
cancels), their reads, and their rendering as a PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from s2cart.domain.invoices.invoice import Standing, TaxDocument
from s2cart.domain.invoices.numbering import Series


class TaxDocumentRepository(Protocol):
    async def next_serial(self, store_id: str, series: Series, financial_year: int) -> int:
        """The next serial of the store's series in that year, from 1: one atomic increment of a counter row that
        stays locked until the transaction ends, so serials are consecutive (a rolled-back transaction takes its
        serial back) and never repeat."""
        ...

    async def add(self, document: TaxDocument) -> TaxDocument:
        """Insert the document; returns it with its id."""
        ...

    async def of_order(self, order_id: int, series: Series) -> TaxDocument | None: ...


@dataclass(frozen=True)
class DocumentLookup:
    """An order of the caller's, as far as its documents go: where it stands, and the document asked for."""

    standing: Standing
    document: TaxDocument | None


class TaxDocumentReader(Protocol):
    async def of_order(self, user_id: int, order_id: int, series: Series) -> DocumentLookup | None:
        """None when the order is not the caller's (or does not exist)."""
        ...

    async def by_number(self, number: str, store_id: str | None = None) -> list[TaxDocument]:
        """Every document with that number (in one store when given): numbers are unique per store."""
        ...

    async def issued_between(self, store_id: str, first: date, last: date) -> list[TaxDocument]:
        """The store's invoices and credit notes dated ``first`` to ``last`` (both included), by date and number."""
        ...


class DocumentRenderer(Protocol):
    async def pdf(self, document: TaxDocument) -> bytes:
        """The document as a PDF (its own thread: rendering is CPU work)."""
        ...
