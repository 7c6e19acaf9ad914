"""The tax invoice built from a paid GST-mode order, its refusals, the credit note, and the GSTR-1 summary."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from s2cart.domain.invoices.errors import InvoiceNotIssued
from s2cart.domain.invoices.invoice import (
    Numbered,
    Standing,
    issue_credit_note,
    issue_invoice,
    why_no_document,
    why_no_invoice,
)
from s2cart.domain.invoices.numbering import Series
from s2cart.domain.invoices.returns import b2c_summary
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.shared.money import ZERO
from s2cart.domain.tax.gst import TaxMode
from tests.unit.domain.invoice_builders import PAID_AT, STORE, gst_order


def test_an_intra_state_invoice_carries_rule_46s_fields_and_the_orders_totals() -> None:
    order = gst_order()
    invoice = issue_invoice(order, STORE, PAID_AT, Numbered(2026, 42))
    assert invoice.number == "S123/2627/000042" and invoice.invoice_date == PAID_AT.date()
    assert invoice.supplier.gstin == "29AAKCS4821M1ZS" and invoice.supplier.state == "Karnataka"
    assert invoice.supplier.address == "12, 80 Feet Road, Bengaluru, 560034"
    assert invoice.recipient.name == "Asha Rao" and invoice.recipient.address.startswith("12 MG Road")
    assert (invoice.place_of_supply.state, invoice.place_of_supply.state_code) == ("Karnataka", "29")
    assert not invoice.reverse_charge
    assert [line.hsn_code for line in invoice.lines] == ["8518", "1006", "2501", "2202", "9965"]
    assert invoice.lines[1].description == "Basmati Rice 5 kg (pack: family)"
    assert sum((line.discount for line in invoice.lines), ZERO) == order.totals.discount_amount
    assert all(line.igst_amount == ZERO and line.cgst_amount == line.sgst_amount for line in invoice.lines)
    shipping = invoice.lines[-1]
    assert (shipping.taxable_value, shipping.gst_rate) == (order.totals.shipping_cost, Decimal(40))
    totals = invoice.totals
    assert totals.total_amount == order.totals.total_amount
    assert totals.total_tax == order.totals.tax_amount and totals.cess == ZERO
    assert order.tax_breakup is not None
    assert (totals.cgst, totals.sgst, totals.igst) == (order.tax_breakup.cgst, order.tax_breakup.sgst, ZERO)
    assert invoice.amount_in_words == "Rupees Two Thousand One Hundred Eight and Paise Ninety-Six Only"


def test_an_inter_state_invoice_is_igst_only() -> None:
    order = gst_order(state_code="27")
    invoice = issue_invoice(order, STORE, PAID_AT, Numbered(2026, 1))
    assert invoice.place_of_supply.state == "Maharashtra"
    assert all(line.cgst_amount == line.sgst_amount == ZERO for line in invoice.lines)
    assert invoice.totals.igst == order.totals.tax_amount > ZERO
    assert invoice.totals.total_amount == order.totals.total_amount


def test_the_reasons_an_order_has_no_invoice() -> None:
    order = gst_order()
    assert why_no_invoice(Standing.of(order, STORE)) is None
    cases = {
        "INVOICE_001": Standing.of(gst_order(paid=False), STORE),
        "INVOICE_002": Standing.of(replace(order, tax_mode=TaxMode.CONTRACT, place_of_supply=None), STORE),
        "INVOICE_003": Standing.of(order, replace(STORE, gstin=None)),
    }
    for code, standing in cases.items():
        refusal = why_no_invoice(standing)
        assert refusal is not None and refusal.code == code, (code, refusal)
    assert "gstin" in (why_no_invoice(cases["INVOICE_003"]) or InvoiceNotIssued()).message
    assert why_no_invoice(Standing.of(order, None)) is not None
    with pytest.raises(InvoiceNotIssued) as refused:
        issue_invoice(gst_order(paid=False), STORE, PAID_AT, Numbered(2026, 1))
    assert refused.value.code == "INVOICE_001"
    # Paid, registered, and still no invoice: the store had no GSTIN when it was paid.
    assert why_no_document(Standing.of(order, STORE), Series.INVOICE).code == "INVOICE_003"
    assert why_no_document(Standing.of(order, STORE), Series.CREDIT_NOTE).code == "INVOICE_004"


def test_a_credit_note_reverses_the_invoice_in_its_own_series() -> None:
    order = gst_order()
    invoice = issue_invoice(order, STORE, PAID_AT, Numbered(2026, 42))
    with pytest.raises(InvoiceNotIssued):
        issue_credit_note(invoice, order, PAID_AT, Numbered(2026, 1))  # not cancelled
    order.cancel("Ordered twice", PAID_AT)
    later = PAID_AT + timedelta(days=120)  # into April 2027: the next financial year
    note = issue_credit_note(invoice, order, later, Numbered(2027, 1))
    assert note.series is Series.CREDIT_NOTE and note.number == "S123/C2728/00001"
    assert (note.refers_to_number, note.refers_to_date) == (invoice.number, invoice.invoice_date)
    assert note.lines == invoice.lines and note.totals == invoice.totals
    assert note.reason == "Order cancelled: Ordered twice" and note.title == "Credit Note"
    assert invoice.series is Series.INVOICE and invoice.refers_to_number is None  # untouched
    assert order.status is OrderStatus.CANCELLED


def test_the_b2c_summary_sums_by_place_and_rate_and_nets_credit_notes() -> None:
    karnataka = issue_invoice(gst_order(), STORE, PAID_AT, Numbered(2026, 1))
    maharashtra = issue_invoice(gst_order(state_code="27"), STORE, PAID_AT, Numbered(2026, 2))
    cancelled = gst_order()
    cancelled.cancel("no", PAID_AT)
    note = issue_credit_note(karnataka, cancelled, PAID_AT, Numbered(2026, 1))
    rows = b2c_summary([karnataka, maharashtra])
    assert [(row.place_label, row.rate) for row in rows] == [
        ("27-Maharashtra", Decimal(0)), ("27-Maharashtra", Decimal(5)), ("27-Maharashtra", Decimal(18)),
        ("27-Maharashtra", Decimal(40)), ("29-Karnataka", Decimal(0)), ("29-Karnataka", Decimal(5)),
        ("29-Karnataka", Decimal(18)), ("29-Karnataka", Decimal(40)),
    ]  # fmt: skip
    assert sum((row.taxable_value for row in rows), ZERO) == karnataka.totals.taxable_value * 2
    assert sum((row.igst for row in rows), ZERO) == maharashtra.totals.igst
    assert sum((row.cgst + row.sgst for row in rows), ZERO) == karnataka.totals.total_tax
    forty = next(row for row in rows if row.place_label == "29-Karnataka" and row.rate == 40)
    assert forty.documents == 1  # cola and shipping, one invoice
    netted = b2c_summary([karnataka, maharashtra, note])
    assert all(row.taxable_value == row.cgst == row.sgst == ZERO for row in netted if row.place_of_supply_code == "29")
