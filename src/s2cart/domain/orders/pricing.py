"""Order totals: Decimal throughout, rounded half-up to paise where the rules say."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from s2cart.domain.shared.money import ZERO, to_paise


@dataclass(frozen=True)
class PricingPolicy:
    tax_rate: Decimal = Decimal("0.18")
    shipping_fee: Decimal = Decimal("50.00")
    free_shipping_over: Decimal | None = None


@dataclass(frozen=True)
class OrderTotals:
    subtotal: Decimal
    tax_amount: Decimal
    shipping_cost: Decimal
    discount_amount: Decimal
    total_amount: Decimal


def price(line_totals: Sequence[Decimal], discount: Decimal, policy: PricingPolicy) -> OrderTotals:
    """- Line totals are already whole paise (unit price x quantity, rounded half-up).
    - Tax is the rate of the subtotal (before discount), rounded half-up.
    - Shipping is waived at or above ``free_shipping_over`` when set.
    - The discount never exceeds the subtotal, and the total is never negative."""
    subtotal = to_paise(sum(line_totals, ZERO))
    discount = min(to_paise(discount), subtotal)
    tax = to_paise(subtotal * policy.tax_rate)
    free = policy.free_shipping_over is not None and subtotal >= policy.free_shipping_over
    shipping = ZERO if free or subtotal == ZERO else to_paise(policy.shipping_fee)
    total = max(ZERO, subtotal + tax + shipping - discount)
    return OrderTotals(subtotal, tax, shipping, discount, to_paise(total))
