"""A tax document to and from the JSON its row keeps (amounts and rates as exact decimal strings, times in ISO)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from s2cart.domain.invoices.invoice import (
    InvoiceLine,
    InvoiceTotals,
    Recipient,
    Supplier,
    TaxDocument,
)
from s2cart.domain.invoices.numbering import Series
from s2cart.domain.tax.gst import PlaceOfSupply

VERSION = 1
_AMOUNTS = ("unit_price", "discount", "taxable_value", "gst_rate", "cgst_amount", "sgst_amount", "igst_amount")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def to_json(document: TaxDocument) -> dict[str, Any]:
    body = _plain(asdict(document))
    body.pop("id", None)
    body["series"] = document.series.value
    body["version"] = VERSION
    return dict(body)


def from_json(body: dict[str, Any], document_id: int | None = None) -> TaxDocument:
    lines = tuple(InvoiceLine(**{**line, **{name: Decimal(line[name]) for name in _AMOUNTS}}) for line in body["lines"])
    totals = InvoiceTotals(**{name: Decimal(value) for name, value in body["totals"].items()})
    refers_to_date = body.get("refers_to_date")
    return TaxDocument(
        series=Series(body["series"]),
        number=body["number"],
        financial_year=int(body["financial_year"]),
        serial=int(body["serial"]),
        issued_at=datetime.fromisoformat(body["issued_at"]),
        invoice_date=date.fromisoformat(body["invoice_date"]),
        store_id=body["store_id"],
        order_id=int(body["order_id"]),
        order_number=body["order_number"],
        user_id=int(body["user_id"]),
        supplier=Supplier(**body["supplier"]),
        recipient=Recipient(**body["recipient"]),
        place_of_supply=PlaceOfSupply(**body["place_of_supply"]),
        lines=lines,
        totals=totals,
        amount_in_words=body["amount_in_words"],
        reverse_charge=bool(body["reverse_charge"]),
        refers_to_number=body.get("refers_to_number"),
        refers_to_date=date.fromisoformat(refers_to_date) if refers_to_date else None,
        reason=body.get("reason"),
        id=document_id,
    )
