"""GST pricing: the discount allocated by largest remainder, tax per line and head, shipping at the highest
line rate, and the totals' identities over random carts, coupons, rates and states."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s2cart.domain.catalog.coupon import Coupon, CouponKind, CouponRejected
from s2cart.domain.catalog.gst import GST_SLABS
from s2cart.domain.orders.pricing import GstLine, PricingPolicy, price, price_gst
from s2cart.domain.tax.allocation import allocate
from s2cart.domain.tax.gst import PlaceOfSupply, TaxMode, shipping_rate, tax_heads
from s2cart.domain.tax.states import STATE_NAMES

D = Decimal
KARNATAKA, MAHARASHTRA = PlaceOfSupply.of("29"), PlaceOfSupply.of("27")
# Namma Kirana (Karnataka): rice 2 x 499.00 at 5%, salt 3 x 28.00 at 0%, detergent 140.00 at 18%, cola 2 x 40.00
# at 40%; FLAT50 off.
CART = [
    GstLine(D("998.00"), D("5"), "1006"),
    GstLine(D("84.00"), D("0"), "2501"),
    GstLine(D("140.00"), D("18"), "3402"),
    GstLine(D("80.00"), D("40"), "22021010"),
]


def test_largest_remainder_allocation_is_paise_exact() -> None:
    assert allocate(D("50.00"), [line.line_total for line in CART]) == [D("38.32"), D("3.23"), D("5.38"), D("3.07")]
    assert allocate(D("0.05"), [D("1.00")] * 3) == [D("0.02"), D("0.02"), D("0.01")]  # ties: the earlier line
    assert allocate(D("10.00"), [D("0.00"), D("10.00")]) == [D("0.00"), D("10.00")]
    assert allocate(D("0.00"), [D("0.00")]) == [D("0.00")]
    assert allocate(D("3.00"), [D("1.00"), D("2.00")]) == [D("1.00"), D("2.00")]  # the whole value: nothing left
    with pytest.raises(ValueError, match="sum of the weights"):
        allocate(D("3.01"), [D("1.00"), D("2.00")])


def test_heads_round_half_up_each() -> None:
    assert tax_heads(D("959.68"), D("5"), intra_state=True).cgst == D("23.99")  # 23.992
    assert tax_heads(D("76.93"), D("40"), intra_state=True).sgst == D("15.39")  # 15.386
    assert tax_heads(D("0.10"), D("5"), intra_state=True).total == D("0.00")  # 0.0025 each
    assert tax_heads(D("0.30"), D("5"), intra_state=False).igst == D("0.02")  # 0.015 half-up
    assert tax_heads(D("1.00"), D("0.25"), intra_state=False).total == D("0.00")
    assert shipping_rate([D("0"), D("40"), D("5")]) == D("40") and shipping_rate([]) == D("0.00")


def test_an_intra_state_order_pays_cgst_and_sgst_line_by_line() -> None:
    priced = price_gst(CART, D("50.00"), PricingPolicy(), store_state_code="29", place_of_supply=KARNATAKA)
    assert [line.discount_share for line in priced.lines] == [D("38.32"), D("3.23"), D("5.38"), D("3.07")]
    assert [line.taxable_value for line in priced.lines] == [D("959.68"), D("80.77"), D("134.62"), D("76.93")]
    assert [line.cgst_amount for line in priced.lines] == [D("23.99"), D("0.00"), D("12.12"), D("15.39")]
    assert all(line.sgst_amount == line.cgst_amount and line.igst_amount == 0 for line in priced.lines)
    shipping = priced.breakup.shipping
    assert (shipping.gst_rate, shipping.taxable_value, shipping.cgst_amount, shipping.sgst_amount) == (
        D("40"),
        D("50.00"),
        D("10.00"),
        D("10.00"),
    )
    assert (priced.breakup.cgst, priced.breakup.sgst, priced.breakup.igst) == (D("61.50"), D("61.50"), D("0.00"))
    t = priced.totals
    assert (t.subtotal, t.discount_amount, t.tax_amount, t.shipping_cost, t.total_amount) == (
        D("1302.00"),
        D("50.00"),
        D("123.00"),
        D("50.00"),
        D("1425.00"),
    )


def test_an_inter_state_order_pays_igst() -> None:
    priced = price_gst(CART, D("50.00"), PricingPolicy(), store_state_code="29", place_of_supply=MAHARASHTRA)
    assert [line.igst_amount for line in priced.lines] == [D("47.98"), D("0.00"), D("24.23"), D("30.77")]
    assert all(line.cgst_amount == line.sgst_amount == 0 for line in priced.lines)
    assert priced.breakup.shipping.igst_amount == D("20.00")
    assert (priced.breakup.cgst, priced.breakup.sgst, priced.breakup.igst) == (D("0.00"), D("0.00"), D("122.98"))
    assert (priced.totals.tax_amount, priced.totals.total_amount) == (D("122.98"), D("1424.98"))
    assert priced.place_of_supply == PlaceOfSupply("27", "Maharashtra")


@pytest.mark.parametrize("rate", ["0", "5", "18", "40"])
def test_each_slab_without_a_discount(rate: str) -> None:
    line = [GstLine(D("1000.00"), D(rate))]
    policy = PricingPolicy(shipping_fee=D("0"))
    intra = price_gst(line, D("0"), policy, store_state_code="29", place_of_supply=KARNATAKA)
    inter = price_gst(line, D("0"), policy, store_state_code="29", place_of_supply=MAHARASHTRA)
    tax = D(rate) * 10
    assert intra.totals.tax_amount == inter.totals.tax_amount == tax
    assert intra.breakup.cgst == intra.breakup.sgst == tax / 2 and inter.breakup.igst == tax
    assert intra.totals.total_amount == D("1000.00") + tax


def test_a_product_without_a_rate_takes_the_tax_rate_as_a_percent() -> None:
    policy = PricingPolicy(tax_rate=D("0.12"), shipping_fee=D("0"))
    priced = price_gst([GstLine(D("100.00"), None)], D("0"), policy, store_state_code="29", place_of_supply=KARNATAKA)
    assert priced.lines[0].gst_rate == D("12.00") and priced.totals.tax_amount == D("12.00")


def test_the_contract_pricing_is_unchanged() -> None:
    totals = price([D("1000.00")], D("100.00"), PricingPolicy())
    assert (totals.tax_amount, totals.total_amount) == (D("180.00"), D("1130.00"))
    assert PricingPolicy().tax_mode is TaxMode.CONTRACT


NOW = datetime(2026, 12, 6, tzinfo=UTC)
line_totals = st.decimals(min_value=D("0.00"), max_value=D("250000.00"), places=2)
rates = st.none() | st.sampled_from(GST_SLABS)
codes = st.sampled_from(sorted(STATE_NAMES))


@st.composite
def coupons(draw: st.DrawFn) -> Coupon | None:
    if not draw(st.booleans()):
        return None
    kind = draw(st.sampled_from(CouponKind))
    amounts = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)
    value = draw(st.integers(1, 100).map(D)) if kind is CouponKind.PERCENT else draw(amounts)
    return Coupon(code="PROP", kind=kind, value=value, max_discount=draw(st.none() | amounts))


@settings(max_examples=400, deadline=None)
@given(
    lines=st.lists(st.tuples(line_totals, rates), min_size=1, max_size=8),
    coupon=coupons(),
    tax_rate=st.sampled_from([D("0"), D("0.05"), D("0.18"), D("0.28"), D("0.4")]),
    shipping_fee=st.sampled_from([D("0"), D("49.99"), D("50.00"), D("99.50")]),
    free_over=st.none() | line_totals,
    store=codes,
    place=codes,
)
def test_totals_add_up_exactly_whatever_the_cart(
    lines: list[tuple[Decimal, Decimal | None]],
    coupon: Coupon | None,
    tax_rate: Decimal,
    shipping_fee: Decimal,
    free_over: Decimal | None,
    store: str,
    place: str,
) -> None:
    cart = [GstLine(total, rate) for total, rate in lines]
    subtotal = sum((total for total, _ in lines), D("0.00"))
    discount = D("0.00")
    if coupon is not None:
        with contextlib.suppress(CouponRejected):  # e.g. an empty subtotal
            discount = coupon.apply(now=NOW, subtotal=subtotal, times_used=0, times_used_by_user=0)
    policy = PricingPolicy(tax_rate, shipping_fee, free_over, TaxMode.GST)
    priced = price_gst(cart, discount, policy, store_state_code=store, place_of_supply=PlaceOfSupply.of(place))
    t, breakup = priced.totals, priced.breakup
    assert t.total_amount == t.subtotal - t.discount_amount + t.tax_amount + t.shipping_cost
    assert t.subtotal == subtotal and t.discount_amount == min(discount, subtotal)
    assert sum((line.discount_share for line in priced.lines), D("0.00")) == t.discount_amount
    assert breakup.cgst + breakup.sgst + breakup.igst == t.tax_amount
    assert sum((line.tax for line in priced.lines), breakup.shipping.tax) == t.tax_amount
    for line, (total, rate) in zip(priced.lines, lines, strict=True):
        assert line.taxable_value == total - line.discount_share >= 0
        exact_share = t.discount_amount * total / subtotal if subtotal else D(0)
        assert abs(line.discount_share - exact_share) < D("0.01")
        assert line.gst_rate == (policy.default_gst_rate if rate is None else rate)
        assert line.cgst_amount == line.sgst_amount
        if store == place:
            assert line.igst_amount == 0
        else:
            assert line.cgst_amount == 0
        for amount in (line.taxable_value, line.cgst_amount, line.igst_amount):
            assert amount == amount.quantize(D("0.01"))
    assert breakup.shipping.gst_rate == max((line.gst_rate for line in priced.lines), default=D(0))
