"""A tax invoice or credit note as a one-page (or longer) A4 PDF, with fpdf2.

The layout follows CGST Rule 46's list: supplier (name, address, GSTIN, state), number and date, recipient and
place of supply, one row a line (description, HSN/SAC, quantity, unit, rate, discount, taxable value, rate and
tax by head), the totals, the amount in words, whether tax is payable on reverse charge, and the signature.

The PDF core fonts (Helvetica) hold Latin-1 only: other characters (an address in Devanagari, say) are
transliterated where Unicode allows and shown as '?' otherwise; amounts are written 'INR', never with '₹'.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from fpdf import FPDF
from fpdf.fonts import FontFace

from s2cart.domain.invoices.invoice import TaxDocument
from s2cart.domain.invoices.numbering import Series, year_label

_HEADINGS = (
    "#",
    "Description",
    "HSN/SAC",
    "Qty",
    "Unit",
    "Rate",
    "Discount",
    "Taxable value",
    "GST%",
    "CGST",
    "SGST",
    "IGST",
    "Total",
)
_WIDTHS = (6, 35, 15, 8, 9, 15, 14, 18, 10, 14, 14, 14, 18)  # millimetres: the 190 between the margins
_ALIGN = ("C", "L", "C", "R", "C", "R", "R", "R", "R", "R", "R", "R", "R")
_GREY = (225, 225, 225)


def latin(text: str) -> str:
    """``text`` in the core fonts' Latin-1: accents kept, other scripts transliterated or '?'."""
    out = []
    for character in text:
        try:
            character.encode("latin-1")
            out.append(character)
        except UnicodeEncodeError:
            folded = unicodedata.normalize("NFKD", character).encode("latin-1", "ignore").decode("latin-1")
            out.append(folded or "?")
    return "".join(out)


def money(amount: Decimal) -> str:
    """Indian grouping: 1,23,456.78."""
    sign = "-" if amount < 0 else ""
    whole, _, paise = f"{abs(amount):.2f}".partition(".")
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join([*groups, tail]) + "." + paise


def rate(value: Decimal) -> str:
    return f"{value.normalize():f}"


class _Page(FPDF):
    def __init__(self, document: TaxDocument) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.document = document
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(latin(f"{document.title} {document.number}"))
        self.set_author(latin(document.supplier.legal_name))
        self.set_creator("S2Cart")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.cell(0, 5, latin(f"{self.document.number} - page {self.page_no()}/{{nb}}"), align="C")


def render_pdf(document: TaxDocument) -> bytes:
    pdf = _Page(document)
    pdf.alias_nb_pages()
    pdf.add_page()
    _header(pdf, document)
    _parties(pdf, document)
    _lines(pdf, document)
    _totals(pdf, document)
    _closing(pdf, document)
    return bytes(pdf.output())


def _header(pdf: _Page, document: TaxDocument) -> None:
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, document.title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    note = "Original for recipient" if document.series is Series.INVOICE else "Issued under section 34, CGST Act"
    pdf.cell(0, 4, note, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _block(pdf: _Page, x: float, y: float, width: float, title: str, rows: list[str]) -> float:
    pdf.set_xy(x, y)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(width, 5, title, new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", size=8.5)
    for row in rows:
        pdf.set_x(x)
        pdf.multi_cell(width, 4.2, latin(row), new_x="LEFT", new_y="NEXT")
    return pdf.get_y()


def _parties(pdf: _Page, document: TaxDocument) -> None:
    supplier, recipient, place = document.supplier, document.recipient, document.place_of_supply
    top = pdf.get_y()
    left_end = _block(
        pdf,
        10,
        top,
        100,
        "Supplier",
        [
            supplier.legal_name,
            supplier.address,
            f"GSTIN: {supplier.gstin}",
            f"State: {supplier.state} (code {supplier.state_code})",
        ],
    )
    facts = [
        f"{'Invoice' if document.series is Series.INVOICE else 'Credit note'} no.: {document.number}",
        f"Date: {document.invoice_date:%d-%m-%Y}",
        f"Financial year: {year_label(document.financial_year)}",
        f"Order: {document.order_number}",
        f"Place of supply: {place.state} ({place.state_code})",
        f"Tax payable on reverse charge: {'Yes' if document.reverse_charge else 'No'}",
    ]
    if document.refers_to_number:
        dated = f" dated {document.refers_to_date:%d-%m-%Y}" if document.refers_to_date else ""
        facts.append(f"Against invoice {document.refers_to_number}{dated}")
    right_end = _block(pdf, 115, top, 85, "Document", facts)
    pdf.set_y(max(left_end, right_end) + 2)
    state = f"{recipient.state} (code {recipient.state_code})" if recipient.state_code else recipient.state
    rows = [recipient.name, recipient.address, f"State: {state}", "GSTIN: unregistered (B2C)"]
    if document.reason:
        rows.append(f"Reason: {document.reason}")
    end = _block(pdf, 10, pdf.get_y(), 190, "Recipient (bill to / ship to)", rows)
    pdf.set_y(end + 3)


def _lines(pdf: _Page, document: TaxDocument) -> None:
    pdf.set_font("Helvetica", size=7.5)
    headings = FontFace(emphasis="BOLD", fill_color=_GREY)
    with pdf.table(
        col_widths=_WIDTHS,
        text_align=_ALIGN,
        headings_style=headings,
        line_height=4,
        padding=0.8,
        width=190,
    ) as table:
        table.row(_HEADINGS)
        for index, line in enumerate(document.lines, start=1):
            table.row(
                (
                    str(index),
                    latin(line.description),
                    line.hsn_code or "-",
                    str(line.quantity),
                    line.unit,
                    money(line.unit_price),
                    money(line.discount),
                    money(line.taxable_value),
                    rate(line.gst_rate),
                    money(line.cgst_amount),
                    money(line.sgst_amount),
                    money(line.igst_amount),
                    money(line.total),
                )
            )
    pdf.ln(3)


def _totals(pdf: _Page, document: TaxDocument) -> None:
    totals = document.totals
    rows = [
        ("Total taxable value", totals.taxable_value),
        ("CGST", totals.cgst),
        ("SGST", totals.sgst),
        ("IGST", totals.igst),
        ("Cess", totals.cess),
        ("Total tax", totals.total_tax),
    ]
    pdf.set_font("Helvetica", size=9)
    for label, amount in rows:
        pdf.set_x(120)
        pdf.cell(45, 5, label)
        pdf.cell(35, 5, f"INR {money(amount)}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(120)
    pdf.set_font("Helvetica", "B", 10)
    label = "Invoice total" if document.series is Series.INVOICE else "Credit note total"
    pdf.cell(45, 7, label, border="T")
    pdf.cell(35, 7, f"INR {money(totals.total_amount)}", border="T", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(0, 5, "Amount in words:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(0, 5, latin(document.amount_in_words), new_x="LMARGIN", new_y="NEXT")


def _closing(pdf: _Page, document: TaxDocument) -> None:
    pdf.ln(8)
    pdf.set_font("Helvetica", size=9)
    pdf.set_x(120)
    pdf.multi_cell(80, 5, latin(f"For {document.supplier.legal_name}"), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_x(120)
    pdf.cell(80, 5, "Authorised signatory", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 7.5)
    pdf.cell(0, 4, "A computer-generated document issued by S2Cart for the supplier named above.", align="C")
