"""A tax invoice (CGST Rule 46) or a credit note (Rule 53) of one order, as issued: a frozen document.

Everything a document shows is copied into it when it is issued (the supplier's name, address and GSTIN from
the catalog, the recipient from the order's address snapshot, the lines and their tax from the order), so a
later catalog change never alters an issued document. A credit note is the invoice's lines again, in its own
series, referring to the invoice: the invoice itself is never changed (decision 0037).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from s2cart.domain.catalog.store import Store
from s2cart.domain.invoices.errors import CONTRACT_MODE, NOT_CREDITED, NOT_PAID, STORE_NOT_REGISTERED, InvoiceNotIssued
from s2cart.domain.invoices.numbering import Series, document_number, financial_year, indian_date, series_prefix
from s2cart.domain.invoices.words import amount_in_words
from s2cart.domain.orders.order import Order
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.shared.money import ZERO
from s2cart.domain.tax.gst import PlaceOfSupply, TaxMode
from s2cart.domain.tax.states import state_name

UNIT = "NOS"  # the GST unit quantity code for a count of pieces or packs; each line counts the packs sold
SHIPPING_SAC = "9965"  # goods transport services; charged with the goods (a composite supply, decision 0035)
SHIPPING_DESCRIPTION = "Shipping and delivery"


@dataclass(frozen=True)
class Supplier:
    legal_name: str
    address: str
    gstin: str
    state_code: str
    state: str


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str
    state: str
    state_code: str | None


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    hsn_code: str | None
    quantity: int
    unit: str
    unit_price: Decimal
    discount: Decimal
    taxable_value: Decimal
    gst_rate: Decimal  # percent
    cgst_amount: Decimal
    sgst_amount: Decimal
    igst_amount: Decimal

    @property
    def tax(self) -> Decimal:
        return self.cgst_amount + self.sgst_amount + self.igst_amount

    @property
    def total(self) -> Decimal:
        return self.taxable_value + self.tax


@dataclass(frozen=True)
class InvoiceTotals:
    taxable_value: Decimal
    cgst: Decimal
    sgst: Decimal
    igst: Decimal
    cess: Decimal
    total_tax: Decimal
    total_amount: Decimal

    @classmethod
    def of(cls, lines: Sequence[InvoiceLine]) -> InvoiceTotals:
        def total(values: Any) -> Decimal:
            return sum(values, ZERO)

        taxable = total(line.taxable_value for line in lines)
        cgst = total(line.cgst_amount for line in lines)
        sgst = total(line.sgst_amount for line in lines)
        igst = total(line.igst_amount for line in lines)
        tax = cgst + sgst + igst
        return cls(taxable, cgst, sgst, igst, ZERO, tax, taxable + tax)


@dataclass(frozen=True)
class TaxDocument:
    """An issued invoice or credit note; ``refers_to_*`` name the invoice a credit note reverses."""

    series: Series
    number: str
    financial_year: int
    serial: int
    issued_at: datetime
    invoice_date: date
    store_id: str
    order_id: int
    order_number: str
    user_id: int
    supplier: Supplier
    recipient: Recipient
    place_of_supply: PlaceOfSupply
    lines: tuple[InvoiceLine, ...]
    totals: InvoiceTotals
    amount_in_words: str
    reverse_charge: bool = False
    refers_to_number: str | None = None
    refers_to_date: date | None = None
    reason: str | None = None
    id: int | None = None

    @property
    def title(self) -> str:
        return "Tax Invoice" if self.series is Series.INVOICE else "Credit Note"


@dataclass(frozen=True)
class Numbered:
    """Where a new document falls in its store's series: its financial year and serial."""

    financial_year: int
    serial: int


@dataclass(frozen=True)
class Standing:
    """What decides whether an order has a tax invoice: how it was priced, whether it is paid, its store."""

    store_id: str
    gst_mode: bool
    paid: bool
    store: Store | None

    @classmethod
    def of(cls, order: Order, store: Store | None) -> Standing:
        gst_mode = order.tax_mode is TaxMode.GST and order.place_of_supply is not None
        return cls(order.store_id, gst_mode, order.paid_at is not None, store)


def why_no_invoice(standing: Standing) -> InvoiceNotIssued | None:
    """Why the order gets no tax invoice, or None when it does (or did, when it was paid)."""
    store = standing.store
    if not standing.gst_mode:
        return InvoiceNotIssued(
            "This order was priced in contract tax mode (one flat tax on the subtotal, no tax by head): S2Cart "
            "issues tax invoices only for orders priced in GST mode.",
            code=CONTRACT_MODE,
        )
    missing = "the store is not in the catalog" if store is None else cannot_invoice(store)
    if missing is not None:
        return InvoiceNotIssued(
            f"The store {standing.store_id} cannot issue tax invoices: {missing}.", code=STORE_NOT_REGISTERED
        )
    if not standing.paid:
        return InvoiceNotIssued(
            "This order is not paid yet: its tax invoice is issued when the payment completes.", code=NOT_PAID
        )
    return None


def why_no_document(standing: Standing, series: Series) -> InvoiceNotIssued:
    """Why an order that has no document of ``series`` has none."""
    if series is Series.CREDIT_NOTE:
        return InvoiceNotIssued(
            "This order has no credit note: one is issued when a paid, invoiced order is cancelled.",
            code=NOT_CREDITED,
        )
    refusal = why_no_invoice(standing)
    if refusal is not None:
        return refusal
    return InvoiceNotIssued(
        f"No tax invoice was issued when this order was paid: the store {standing.store_id} could not issue tax "
        "invoices then (no GSTIN). Ask the store for one.",
        code=STORE_NOT_REGISTERED,
    )


def cannot_invoice(store: Store) -> str | None:
    """Why the store cannot issue tax invoices ('it has no gstin, legal_name'), or None when it can."""
    missing = [name for name in ("gstin", "legal_name", "state_code") if not getattr(store, name)]
    return "it has no " + ", ".join(missing) if missing else None


def invoice_year(moment: datetime) -> int:
    return financial_year(indian_date(moment))


def issue_invoice(order: Order, store: Store | None, now: datetime, numbered: Numbered) -> TaxDocument:
    """The tax invoice of a paid GST-mode order of a store with a GSTIN (else ``InvoiceNotIssued``)."""
    refusal = why_no_invoice(Standing.of(order, store))
    if refusal is not None:
        raise refusal
    assert store is not None and store.gstin and store.state_code and store.legal_name
    assert order.place_of_supply is not None and order.tax_breakup is not None and order.id is not None
    lines = [
        InvoiceLine(
            description=_description(line.product_name, line.variant),
            hsn_code=line.hsn_code,
            quantity=line.quantity,
            unit=UNIT,
            unit_price=line.unit_price,
            discount=line.total_price - (line.taxable_value or ZERO),
            taxable_value=line.taxable_value or ZERO,
            gst_rate=line.gst_rate or ZERO,
            cgst_amount=line.cgst_amount or ZERO,
            sgst_amount=line.sgst_amount or ZERO,
            igst_amount=line.igst_amount or ZERO,
        )
        for line in order.lines
    ]
    shipping = order.tax_breakup.shipping
    if order.totals.shipping_cost > ZERO:
        lines.append(
            InvoiceLine(
                description=SHIPPING_DESCRIPTION,
                hsn_code=SHIPPING_SAC,
                quantity=1,
                unit=UNIT,
                unit_price=order.totals.shipping_cost,
                discount=ZERO,
                taxable_value=order.totals.shipping_cost,
                gst_rate=shipping.gst_rate if shipping else ZERO,
                cgst_amount=shipping.cgst_amount if shipping else ZERO,
                sgst_amount=shipping.sgst_amount if shipping else ZERO,
                igst_amount=shipping.igst_amount if shipping else ZERO,
            )
        )
    totals = InvoiceTotals.of(lines)
    address = order.shipping_address
    supplier_address = ", ".join(part for part in (store.address, store.city, store.pincode) if part)
    return TaxDocument(
        series=Series.INVOICE,
        number=document_number(series_prefix(store.id), Series.INVOICE, numbered.financial_year, numbered.serial),
        financial_year=numbered.financial_year,
        serial=numbered.serial,
        issued_at=now,
        invoice_date=indian_date(now),
        store_id=store.id,
        order_id=order.id,
        order_number=order.order_number,
        user_id=order.user_id,
        supplier=Supplier(
            store.legal_name, supplier_address, store.gstin, store.state_code, state_name(store.state_code)
        ),
        recipient=Recipient(
            name=str(address.get("contact_name") or ""),
            address=_recipient_address(address),
            state=str(address.get("state") or order.place_of_supply.state),
            state_code=order.place_of_supply.state_code,
        ),
        place_of_supply=order.place_of_supply,
        lines=tuple(lines),
        totals=totals,
        amount_in_words=amount_in_words(totals.total_amount),
    )


def issue_credit_note(invoice: TaxDocument, order: Order, now: datetime, numbered: Numbered) -> TaxDocument:
    """The credit note reversing ``invoice`` in full (the order was cancelled after it was invoiced)."""
    if invoice.series is not Series.INVOICE:
        raise ValueError("a credit note reverses an invoice")
    if order.status is not OrderStatus.CANCELLED:
        raise InvoiceNotIssued("Only a cancelled order's invoice is credited.", code=NOT_CREDITED)
    prefix = series_prefix(invoice.store_id)
    return replace(
        invoice,
        series=Series.CREDIT_NOTE,
        number=document_number(prefix, Series.CREDIT_NOTE, numbered.financial_year, numbered.serial),
        financial_year=numbered.financial_year,
        serial=numbered.serial,
        issued_at=now,
        invoice_date=indian_date(now),
        refers_to_number=invoice.number,
        refers_to_date=invoice.invoice_date,
        reason=f"Order cancelled: {order.cancellation_reason or 'cancelled'}"[:200],
        id=None,
    )


def _description(name: str, variant: Mapping[str, str] | None) -> str:
    if not variant:
        return name
    return f"{name} ({', '.join(f'{key}: {value}' for key, value in sorted(variant.items()))})"


def _recipient_address(address: Mapping[str, Any]) -> str:
    if address.get("full_address"):
        return str(address["full_address"])
    keys = ("street_address", "street_address_2", "landmark", "city", "state", "pin_code")
    return ", ".join(str(address[key]) for key in keys if address.get(key))
