from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.catalog.coupon import Coupon, CouponKind
from s2cart.domain.orders.pricing import PricingPolicy, price
from s2cart.domain.shared.money import to_paise

DEFAULTS = PricingPolicy()
paise = st.integers(min_value=0, max_value=10**9).map(lambda p: Decimal(p) / 100)
# A coupon's cap is a positive amount (Coupon refuses 0.00), so the property draws caps from 0.01 up.
caps = st.integers(min_value=1, max_value=10**9).map(lambda p: Decimal(p) / 100)


def test_the_contract_example() -> None:
    save10 = Coupon(code="SAVE10", kind=CouponKind.PERCENT, value=Decimal("10"))
    totals = price([Decimal("1000.00")], save10.discount_for(Decimal("1000.00")), DEFAULTS)
    assert (totals.subtotal, totals.tax_amount, totals.shipping_cost, totals.discount_amount, totals.total_amount) == (
        Decimal("1000.00"),
        Decimal("180.00"),
        Decimal("50.00"),
        Decimal("100.00"),
        Decimal("1130.00"),
    )


@given(st.lists(paise, max_size=20), paise)
def test_the_totals_identity_holds_and_nothing_is_negative(lines: list[Decimal], discount: Decimal) -> None:
    totals = price(lines, discount, DEFAULTS)
    assert totals.subtotal == to_paise(sum(lines, Decimal(0)))
    assert totals.discount_amount <= totals.subtotal
    expected = totals.subtotal + totals.tax_amount + totals.shipping_cost - totals.discount_amount
    assert totals.total_amount == max(Decimal("0.00"), expected)
    for amount in (
        totals.subtotal,
        totals.tax_amount,
        totals.shipping_cost,
        totals.discount_amount,
        totals.total_amount,
    ):
        assert amount >= 0
        assert amount == amount.quantize(Decimal("0.01"))


def test_tax_rounds_half_up_to_the_paisa() -> None:
    assert price([Decimal("0.25")], Decimal(0), DEFAULTS).tax_amount == Decimal("0.05")  # 0.045 -> 0.05
    assert price([Decimal("0.02")], Decimal(0), DEFAULTS).tax_amount == Decimal("0.00")  # 0.0036 -> 0.00


def test_shipping_is_waived_at_the_threshold() -> None:
    policy = PricingPolicy(free_shipping_over=Decimal("999.00"))
    assert price([Decimal("998.99")], Decimal(0), policy).shipping_cost == Decimal("50.00")
    assert price([Decimal("999.00")], Decimal(0), policy).shipping_cost == Decimal("0.00")


@given(paise, st.integers(min_value=1, max_value=100), st.one_of(st.none(), caps))
def test_percent_coupons_are_capped(subtotal: Decimal, percent: int, cap: Decimal | None) -> None:
    coupon = Coupon(code="P", kind=CouponKind.PERCENT, value=Decimal(percent), max_discount=cap)
    discount = coupon.discount_for(subtotal)
    assert discount <= subtotal
    if cap is not None:
        assert discount <= cap
    assert discount == discount.quantize(Decimal("0.01"))
