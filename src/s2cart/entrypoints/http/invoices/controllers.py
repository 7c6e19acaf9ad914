"""An order's tax invoice and credit note, as JSON in the contract's envelope or as a PDF (decision 0037)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from s2cart.application.auth.principal import Principal
from s2cart.application.invoices.queries import GetTaxDocument, RenderTaxDocument
from s2cart.domain.invoices.invoice import TaxDocument
from s2cart.domain.invoices.numbering import Series
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.entrypoints.http.envelope import Success, success
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.invoices.schemas import TaxDocumentOut, document_out
from s2cart.entrypoints.http.limits import MINUTE, limit
from s2cart.entrypoints.http.principal import SECURITY

PDF = "application/pdf"
FORMATS = ("json", "pdf")


def wants_pdf(request: Request[Any, Any, Any], format_: str | None) -> bool:
    """``?format=pdf`` or ``?format=json`` decides; without it, an ``Accept`` preferring PDF to JSON."""
    if format_ is not None:
        if format_.lower() not in FORMATS:
            raise ValidationFailed.on("format", "Must be 'json' or 'pdf'.")
        return format_.lower() == "pdf"
    return request.accept.best_match(["application/json", PDF], default="application/json") == PDF


def pdf_response(document: TaxDocument, body: bytes) -> Response[bytes]:
    filename = document.number.replace("/", "-") + ".pdf"
    return Response(
        body,
        media_type=PDF,
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


class InvoiceController(Controller):
    path = "/orders"
    tags = ["Orders"]
    security = SECURITY

    @get(
        "/{order_id:int}/invoice/",
        summary="The order's tax invoice (JSON, or PDF with ?format=pdf or Accept: application/pdf)",
        opt=limit(30, MINUTE, "invoice", "user"),
    )
    async def get_invoice(
        self,
        request: Request[Any, Any, Any],
        order_id: FromPath[int],
        principal: NamedDependency[Principal],
        get_tax_document: Inject[GetTaxDocument],
        render_tax_document: Inject[RenderTaxDocument],
        format: FromQuery[str | None] = None,
    ) -> Success[TaxDocumentOut]:
        """The tax invoice S2Cart issued when the order was paid (GST mode): supplier with GSTIN, recipient,
        place of supply, one line a product (and shipping) with HSN code, taxable value and tax by head, the
        totals and the amount in words. `?format=pdf` (or `Accept: application/pdf`) answers the same invoice as
        an A4 PDF. 409 `INVOICE_001` before payment, `INVOICE_002` for an order priced in contract tax mode,
        `INVOICE_003` when the store cannot issue tax invoices (no GSTIN); another user's order is 404."""
        return await _answer(
            request, principal, order_id, Series.INVOICE, format, get_tax_document, render_tax_document
        )

    @get(
        "/{order_id:int}/credit-note/",
        summary="The credit note of an invoiced order that was cancelled (JSON or PDF, as the invoice)",
        opt=limit(30, MINUTE, "invoice", "user"),
    )
    async def get_credit_note(
        self,
        request: Request[Any, Any, Any],
        order_id: FromPath[int],
        principal: NamedDependency[Principal],
        get_tax_document: Inject[GetTaxDocument],
        render_tax_document: Inject[RenderTaxDocument],
        format: FromQuery[str | None] = None,
    ) -> Success[TaxDocumentOut]:
        """The credit note S2Cart issued when the order was cancelled after its invoice: the invoice's lines
        and totals in the store's credit-note series, naming the invoice under `original_invoice` (the invoice
        itself is never changed). 409 `INVOICE_004` when the order has none; another user's order is 404."""
        return await _answer(
            request, principal, order_id, Series.CREDIT_NOTE, format, get_tax_document, render_tax_document
        )


async def _answer(
    request: Request[Any, Any, Any],
    principal: Principal,
    order_id: int,
    series: Series,
    format_: str | None,
    get_tax_document: GetTaxDocument,
    render_tax_document: RenderTaxDocument,
) -> Any:
    if wants_pdf(request, format_):
        document, body = await render_tax_document(principal.user_id, order_id, series)
        return pdf_response(document, body)
    document = await get_tax_document(principal.user_id, order_id, series)
    title = "Tax invoice" if series is Series.INVOICE else "Credit note"
    return success(document_out(document), f"{title} retrieved successfully")
