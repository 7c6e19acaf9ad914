"""GST by head: how an order is taxed (``TaxMode``), where it is supplied, and each head's amount.

Rules (decision 0036): every amount is whole paise, rounded half-up, computed per line and per head: a line
supplied within the store's state pays CGST and SGST at half its rate each, each rounded on its own (so they
are always equal), and its tax is their sum; a line supplied across states pays IGST at the full rate. Order
totals are sums of the lines, never recomputed from the order's total. Shipping follows decision 0035.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from s2cart.domain.shared.money import ZERO, to_paise
from s2cart.domain.tax.states import state_name

HUNDRED = Decimal(100)


class TaxMode(StrEnum):
    """``contract``: the API contract's one flat rate on the subtotal before discount (the default).
    ``gst``: per line by product rate after its share of the discount, by head (``S2CART_TAX_MODE``)."""

    CONTRACT = "contract"
    GST = "gst"


@dataclass(frozen=True)
class PlaceOfSupply:
    """Where a supply of goods is made: the state of the shipping address, as its GST code and name."""

    state_code: str
    state: str

    @classmethod
    def of(cls, state_code: str) -> PlaceOfSupply:
        return cls(state_code, state_name(state_code))


@dataclass(frozen=True)
class TaxHeads:
    cgst: Decimal
    sgst: Decimal
    igst: Decimal

    @property
    def total(self) -> Decimal:
        return self.cgst + self.sgst + self.igst


def tax_heads(taxable_value: Decimal, gst_rate: Decimal, *, intra_state: bool) -> TaxHeads:
    """The tax on one line's ``taxable_value`` at ``gst_rate`` percent (decision 0036): within a state CGST and
    SGST at half the rate each, rounded half-up each; across states IGST at the rate, rounded half-up."""
    if intra_state:
        half = to_paise(taxable_value * gst_rate / 2 / HUNDRED)
        return TaxHeads(half, half, ZERO)
    return TaxHeads(ZERO, ZERO, to_paise(taxable_value * gst_rate / HUNDRED))


@dataclass(frozen=True)
class ShippingTax:
    """The shipping charge as a taxed supply (decision 0035): ``taxable_value`` is the order's
    ``shipping_cost`` and ``gst_rate`` the highest rate among the order's lines."""

    gst_rate: Decimal
    taxable_value: Decimal
    cgst_amount: Decimal
    sgst_amount: Decimal
    igst_amount: Decimal

    @property
    def tax(self) -> Decimal:
        return self.cgst_amount + self.sgst_amount + self.igst_amount


def shipping_rate(line_rates: Iterable[Decimal]) -> Decimal:
    """Decision 0035: delivery by the supplier is part of a composite supply whose principal supply is the goods,
    so it takes the goods' rate; with goods at several rates, the highest of them (0 without lines)."""
    return max(line_rates, default=ZERO)


@dataclass(frozen=True)
class TaxBreakup:
    """An order's tax by head: ``cgst``, ``sgst`` and ``igst`` are totals over its lines and its shipping
    (``shipping`` shows the shipping's part); their sum is the order's ``tax_amount``."""

    cgst: Decimal
    sgst: Decimal
    igst: Decimal
    shipping: ShippingTax

    @property
    def total(self) -> Decimal:
        return self.cgst + self.sgst + self.igst
