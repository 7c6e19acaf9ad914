"""Order totals: Decimal throughout, rounded half-up to paise where the rules say."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from s2cart.domain.shared.money import ZERO, to_paise
from s2cart.domain.tax.allocation import allocate
from s2cart.domain.tax.gst import (
    HUNDRED,
    PlaceOfSupply,
    ShippingTax,
    TaxBreakup,
    TaxHeads,
    TaxMode,
    shipping_rate,
    tax_heads,
)


@dataclass(frozen=True)
class PricingPolicy:
    tax_rate: Decimal = Decimal("0.18")
    shipping_fee: Decimal = Decimal("50.00")
    free_shipping_over: Decimal | None = None
    tax_mode: TaxMode = TaxMode.CONTRACT

    @property
    def default_gst_rate(self) -> Decimal:
        """In GST mode, the rate (percent) of a product without one: ``tax_rate`` as a percent."""
        return (self.tax_rate * HUNDRED).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class OrderTotals:
    subtotal: Decimal
    tax_amount: Decimal
    shipping_cost: Decimal
    discount_amount: Decimal
    total_amount: Decimal


def _shipping(subtotal: Decimal, policy: PricingPolicy) -> Decimal:
    free = policy.free_shipping_over is not None and subtotal >= policy.free_shipping_over
    return ZERO if free or subtotal == ZERO else to_paise(policy.shipping_fee)


def price(line_totals: Sequence[Decimal], discount: Decimal, policy: PricingPolicy) -> OrderTotals:
    """The contract's pricing (``TaxMode.CONTRACT``):
    - Line totals are already whole paise (unit price x quantity, rounded half-up).
    - Tax is the rate of the subtotal (before discount), rounded half-up.
    - Shipping is waived at or above ``free_shipping_over`` when set.
    - The discount never exceeds the subtotal, and the total is never negative."""
    subtotal = to_paise(sum(line_totals, ZERO))
    discount = min(to_paise(discount), subtotal)
    tax = to_paise(subtotal * policy.tax_rate)
    shipping = _shipping(subtotal, policy)
    total = max(ZERO, subtotal + tax + shipping - discount)
    return OrderTotals(subtotal, tax, shipping, discount, to_paise(total))


@dataclass(frozen=True)
class GstLine:
    """What GST pricing needs of an order line: its total (whole paise), its product's rate (percent; None
    takes the policy's default) and HSN code."""

    line_total: Decimal
    gst_rate: Decimal | None
    hsn_code: str | None = None


@dataclass(frozen=True)
class LineTax:
    """One line taxed: its share of the discount, the value taxed after it, and the tax by head."""

    hsn_code: str | None
    gst_rate: Decimal
    discount_share: Decimal
    taxable_value: Decimal
    cgst_amount: Decimal
    sgst_amount: Decimal
    igst_amount: Decimal

    @property
    def tax(self) -> Decimal:
        return self.cgst_amount + self.sgst_amount + self.igst_amount


@dataclass(frozen=True)
class GstPricing:
    totals: OrderTotals
    lines: list[LineTax]
    breakup: TaxBreakup
    place_of_supply: PlaceOfSupply


def price_gst(
    lines: Sequence[GstLine],
    discount: Decimal,
    policy: PricingPolicy,
    *,
    store_state_code: str,
    place_of_supply: PlaceOfSupply,
) -> GstPricing:
    """GST pricing (``TaxMode.GST``):
    - Subtotal, discount (never above the subtotal) and shipping as the contract's pricing has them.
    - The discount is allocated to the lines pro rata to their totals by largest remainder (paise-exact, the
      shares sum to the discount); a line's ``taxable_value`` is its total less its share.
    - Each line is taxed at its product's rate (or the policy's default) by ``tax_heads``: CGST + SGST when the
      place of supply is the store's state, else IGST; shipping at the highest line rate (decision 0035).
    - ``tax_amount`` is the sum of every head of every line and of shipping, and ``total_amount`` is exactly
      subtotal - discount + tax + shipping."""
    totals = [to_paise(line.line_total) for line in lines]
    subtotal = sum(totals, ZERO)
    discount = min(to_paise(discount), subtotal)
    shares = allocate(discount, totals)
    intra = place_of_supply.state_code == store_state_code
    taxed: list[LineTax] = []
    for line, total, share in zip(lines, totals, shares, strict=True):
        rate = policy.default_gst_rate if line.gst_rate is None else line.gst_rate
        heads = tax_heads(total - share, rate, intra_state=intra)
        taxed.append(LineTax(line.hsn_code, rate, share, total - share, heads.cgst, heads.sgst, heads.igst))
    shipping = _shipping(subtotal, policy)
    rate = shipping_rate(line.gst_rate for line in taxed)
    on_shipping = tax_heads(shipping, rate, intra_state=intra)
    shipping_tax = ShippingTax(rate, shipping, on_shipping.cgst, on_shipping.sgst, on_shipping.igst)
    heads = TaxHeads(
        sum((line.cgst_amount for line in taxed), shipping_tax.cgst_amount),
        sum((line.sgst_amount for line in taxed), shipping_tax.sgst_amount),
        sum((line.igst_amount for line in taxed), shipping_tax.igst_amount),
    )
    breakup = TaxBreakup(heads.cgst, heads.sgst, heads.igst, shipping_tax)
    tax = breakup.total
    order_totals = OrderTotals(subtotal, tax, shipping, discount, subtotal - discount + tax + shipping)
    return GstPricing(order_totals, taxed, breakup, place_of_supply)
