"""A tax invoice and a credit note on the wire: one shape for both, the credit note naming the invoice it
reverses. Amounts and rates are JSON numbers, exact to the paisa (decision 0037)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

import msgspec

from s2cart.domain.invoices.invoice import TaxDocument
from s2cart.domain.invoices.numbering import Series, year_label
from s2cart.domain.tax.gst import PlaceOfSupply

TWO = Decimal(2)


class SupplierOut(msgspec.Struct, kw_only=True):
    legal_name: str
    address: str
    gstin: str
    state_code: str
    state: str


class RecipientOut(msgspec.Struct, kw_only=True):
    name: str
    address: str
    state: str
    state_code: str | None
    gstin: None = None  # B2C: the recipient is not registered


class InvoiceLineOut(msgspec.Struct, kw_only=True):
    line_number: int
    description: str
    hsn_code: str | None
    quantity: int
    unit: str
    unit_price: Decimal
    discount: Decimal
    taxable_value: Decimal
    gst_rate: Decimal
    cgst_rate: Decimal
    sgst_rate: Decimal
    igst_rate: Decimal
    cgst_amount: Decimal
    sgst_amount: Decimal
    igst_amount: Decimal
    total: Decimal


class InvoiceTotalsOut(msgspec.Struct, kw_only=True):
    taxable_value: Decimal
    cgst: Decimal
    sgst: Decimal
    igst: Decimal
    cess: Decimal
    total_tax: Decimal
    total_amount: Decimal


class OriginalInvoiceOut(msgspec.Struct, kw_only=True):
    invoice_number: str
    invoice_date: date


class TaxDocumentOut(msgspec.Struct, kw_only=True):
    """``invoice_number``/``invoice_date`` are this document's own (a credit note's number is in its own series);
    a credit note adds ``original_invoice`` and ``reason``."""

    document_type: Literal["TAX_INVOICE", "CREDIT_NOTE"]
    invoice_number: str
    invoice_date: date
    financial_year: str
    order_id: int
    order_number: str
    supplier: SupplierOut
    recipient: RecipientOut
    place_of_supply: PlaceOfSupply  # the order's own shape (decision 0030)
    reverse_charge: bool
    currency: Literal["INR"] = "INR"
    lines: list[InvoiceLineOut]
    totals: InvoiceTotalsOut
    amount_in_words: str
    original_invoice: OriginalInvoiceOut | None = None
    reason: str | None = None


def document_out(document: TaxDocument) -> TaxDocumentOut:
    zero = Decimal("0.00")
    lines = []
    intra = document.supplier.state_code == document.place_of_supply.state_code  # CGST + SGST, else IGST
    for number, line in enumerate(document.lines, start=1):
        half = (line.gst_rate / TWO).quantize(Decimal("0.01"))
        lines.append(
            InvoiceLineOut(
                line_number=number,
                description=line.description,
                hsn_code=line.hsn_code,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                discount=line.discount,
                taxable_value=line.taxable_value,
                gst_rate=line.gst_rate,
                cgst_rate=half if intra else zero,
                sgst_rate=half if intra else zero,
                igst_rate=zero if intra else line.gst_rate,
                cgst_amount=line.cgst_amount,
                sgst_amount=line.sgst_amount,
                igst_amount=line.igst_amount,
                total=line.total,
            )
        )
    totals = document.totals
    original = None
    if document.refers_to_number is not None and document.refers_to_date is not None:
        original = OriginalInvoiceOut(invoice_number=document.refers_to_number, invoice_date=document.refers_to_date)
    supplier, recipient, place = document.supplier, document.recipient, document.place_of_supply
    return TaxDocumentOut(
        document_type="TAX_INVOICE" if document.series is Series.INVOICE else "CREDIT_NOTE",
        invoice_number=document.number,
        invoice_date=document.invoice_date,
        financial_year=year_label(document.financial_year),
        order_id=document.order_id,
        order_number=document.order_number,
        supplier=SupplierOut(
            legal_name=supplier.legal_name,
            address=supplier.address,
            gstin=supplier.gstin,
            state_code=supplier.state_code,
            state=supplier.state,
        ),
        recipient=RecipientOut(
            name=recipient.name, address=recipient.address, state=recipient.state, state_code=recipient.state_code
        ),
        place_of_supply=place,
        reverse_charge=document.reverse_charge,
        lines=lines,
        totals=InvoiceTotalsOut(
            taxable_value=totals.taxable_value,
            cgst=totals.cgst,
            sgst=totals.sgst,
            igst=totals.igst,
            cess=totals.cess,
            total_tax=totals.total_tax,
            total_amount=totals.total_amount,
        ),
        amount_in_words=document.amount_in_words,
        original_invoice=original,
        reason=document.reason,
    )
