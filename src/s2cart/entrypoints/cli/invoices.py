"""``s2cart invoices show|list``: the accountant's side of tax invoices and credit notes (decision 0037).

``list --store STORE --from DATE --to DATE`` prints the store's documents dated in the period (Indian calendar
days, both included): a table, one JSON document with ``--json``, or with ``--csv`` the GSTR-1 B2C summary
(one row a place of supply and rate, credit notes netted).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from s2cart.entrypoints.cli.output import emit, plain
from s2cart.entrypoints.cli.running import run_in_container
from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    from s2cart.domain.invoices.invoice import TaxDocument
    from s2cart.entrypoints.container import Container

LIST_COLUMNS = (
    "number", "type", "invoice_date", "order_number", "place_of_supply", "taxable_value", "cgst", "sgst", "igst",
    "total_amount", "refers_to",
)  # fmt: skip
CSV_COLUMNS = (
    "Type", "Place Of Supply", "Rate", "Applicable % of Tax Rate", "Taxable Value", "Integrated Tax", "Central Tax",
    "State/UT Tax", "Cess Amount", "E-Commerce GSTIN", "Documents",
)  # fmt: skip


def a_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_invoice_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    invoices = sub.add_parser("invoices", help="tax invoices and credit notes").add_subparsers(
        dest="action", required=True
    )
    show = invoices.add_parser("show", help="print an invoice or credit note by its number")
    show.add_argument("number")
    show.add_argument("--store", default=None, help="the store, when several stores use the number")
    show.add_argument("--json", action="store_true", help="the whole document as one JSON document")
    show.set_defaults(handler=_show)
    listing = invoices.add_parser("list", help="a store's invoices and credit notes dated within a period")
    listing.add_argument("--store", required=True)
    listing.add_argument("--from", dest="first", type=a_date, required=True, metavar="DATE", help="first day")
    listing.add_argument("--to", dest="last", type=a_date, required=True, metavar="DATE", help="last day (included)")
    output = listing.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON document on stdout instead of a table")
    output.add_argument("--csv", action="store_true", help="the GSTR-1 B2C summary as CSV (place, rate, tax by head)")
    listing.set_defaults(handler=_list)


def document_json(document: TaxDocument) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(json.dumps(asdict(document), default=plain_value))
    body["series"] = document.series.value
    return body


def plain_value(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return plain(value)


def _describe(document: TaxDocument) -> str:
    totals, supplier, place = document.totals, document.supplier, document.place_of_supply
    lines = [
        f"{document.title} {document.number} dated {document.invoice_date} (order {document.order_number})",
        f"  supplier: {supplier.legal_name}, GSTIN {supplier.gstin}, state {supplier.state_code}",
        f"  recipient: {document.recipient.name}, {document.recipient.address}",
        f"  place of supply: {place.state} ({place.state_code}); reverse charge: "
        + ("yes" if document.reverse_charge else "no"),
    ]
    if document.refers_to_number:
        lines.append(f"  against invoice {document.refers_to_number} dated {document.refers_to_date}")
    lines += [
        f"  {line.quantity} x {line.description} [HSN {line.hsn_code or '-'}] taxable {line.taxable_value} "
        f"@ {line.gst_rate}%: CGST {line.cgst_amount} SGST {line.sgst_amount} IGST {line.igst_amount}"
        for line in document.lines
    ]
    lines.append(
        f"  taxable {totals.taxable_value}, CGST {totals.cgst}, SGST {totals.sgst}, IGST {totals.igst}, "
        f"cess {totals.cess}, total {totals.total_amount}"
    )
    lines.append(f"  {document.amount_in_words}")
    return "\n".join(lines)


def _show(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        found = await container.find_tax_documents().by_number(args.number, args.store)
        if args.json:
            print(json.dumps({"documents": [document_json(d) for d in found], "count": len(found)}))
        else:
            print("\n\n".join(_describe(document) for document in found))
        return 0

    return run_in_container(settings, work)


@dataclass(frozen=True)
class Listed:
    number: str
    type: str
    invoice_date: str
    order_number: str
    place_of_supply: str
    taxable_value: Decimal
    cgst: Decimal
    sgst: Decimal
    igst: Decimal
    total_amount: Decimal
    refers_to: str | None

    @classmethod
    def of(cls, document: TaxDocument) -> Listed:
        totals = document.totals
        return cls(
            document.number,
            document.series.value,
            document.invoice_date.isoformat(),
            document.order_number,
            document.place_of_supply.state_code,
            totals.taxable_value,
            totals.cgst,
            totals.sgst,
            totals.igst,
            totals.total_amount,
            document.refers_to_number,
        )


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.domain.invoices.returns import b2c_summary

    async def work(container: Container) -> int:
        found = await container.find_tax_documents().between(args.store, args.first, args.last)
        if args.csv:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            for row in b2c_summary(found):
                amounts = (row.taxable_value, row.igst, row.cgst, row.sgst, row.cess)
                writer.writerow(("OE", row.place_label, row.rate, "", *amounts, "", row.documents))
            return 0
        return emit("documents", [Listed.of(d) for d in found], LIST_COLUMNS, args.json)

    return run_in_container(settings, work)
