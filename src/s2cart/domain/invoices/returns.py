"""What a GSTR-1 return needs of a period's B2C documents (table 7, B2C others): one row a place of supply and
rate, the taxable value and the tax by head summed over the invoices, less the credit notes issued in the
period (decision 0037). Every supply here is to an unregistered person. Not split out: an inter-state invoice
above the B2C (large) limit (Rs 1,00,000), which the return lists invoice by invoice in table 5; ``invoices
list --json`` gives those invoices one by one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from s2cart.domain.invoices.invoice import TaxDocument
from s2cart.domain.invoices.numbering import Series
from s2cart.domain.shared.money import ZERO


@dataclass(frozen=True)
class B2cRow:
    place_of_supply_code: str
    place_of_supply: str
    rate: Decimal
    taxable_value: Decimal
    igst: Decimal
    cgst: Decimal
    sgst: Decimal
    cess: Decimal
    documents: int

    @property
    def place_label(self) -> str:
        """As the GST portal's templates write it: '29-Karnataka'."""
        return f"{self.place_of_supply_code}-{self.place_of_supply}"


def b2c_summary(documents: Iterable[TaxDocument]) -> list[B2cRow]:
    """Rows by place of supply code, then rate; a credit note's lines count negative."""
    sums: dict[tuple[str, Decimal], list[Decimal]] = {}
    names: dict[str, str] = {}
    counted: dict[tuple[str, Decimal], set[int]] = {}
    for document in documents:
        sign = Decimal(1) if document.series is Series.INVOICE else Decimal(-1)
        code = document.place_of_supply.state_code
        names[code] = document.place_of_supply.state
        for line in document.lines:
            key = (code, line.gst_rate)
            totals = sums.setdefault(key, [ZERO, ZERO, ZERO, ZERO])
            for index, amount in enumerate((line.taxable_value, line.igst_amount, line.cgst_amount, line.sgst_amount)):
                totals[index] += sign * amount
            counted.setdefault(key, set()).add(id(document))
    rows = []
    for code, rate in sorted(sums):
        taxable, igst, cgst, sgst = sums[(code, rate)]
        rows.append(B2cRow(code, names[code], rate, taxable, igst, cgst, sgst, ZERO, len(counted[(code, rate)])))
    return rows
