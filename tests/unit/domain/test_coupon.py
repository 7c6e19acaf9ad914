from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.catalog.coupon import (
    Coupon,
    CouponKind,
    CouponRejected,
    CouponRejection,
    normalize_code,
)
from s2cart.domain.shared.errors import ValidationFailed

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
D = Decimal

amounts = st.decimals(min_value=0, max_value=10**7, places=2)
positive_amounts = st.decimals(min_value=D("0.01"), max_value=10**6, places=2)
percents = st.decimals(min_value=D("0.01"), max_value=100, places=2)


def percent(value: str, **kw: object) -> Coupon:
    return Coupon("SAVE", CouponKind.PERCENT, D(value), **kw)  # type: ignore[arg-type]


def flat(value: str, **kw: object) -> Coupon:
    return Coupon("FLAT", CouponKind.FLAT, D(value), **kw)  # type: ignore[arg-type]


def test_the_contracts_example_save10_on_1000_is_100() -> None:
    assert percent("10").discount_for(D("1000.00")) == D("100.00")


def test_percent_rounds_half_up_to_paise() -> None:
    assert percent("10").discount_for(D("0.05")) == D("0.01")  # 0.005 -> 0.01
    assert percent("12.5").discount_for(D("0.99")) == D("0.12")  # 0.12375 -> 0.12
    assert percent("10").discount_for(D("1250.50")) == D("125.05")


def test_max_discount_caps_a_percentage() -> None:
    assert percent("50", max_discount=D("100.00")).discount_for(D("1000.00")) == D("100.00")


def test_a_flat_discount_never_exceeds_the_subtotal() -> None:
    assert flat("50.00").discount_for(D("30.00")) == D("30.00")
    assert flat("50.00").discount_for(D("0.00")) == D("0.00")


@given(coupon_value=percents, subtotal=amounts, cap=st.none() | positive_amounts)
def test_percent_discount_is_its_share_capped_and_never_above_the_subtotal(
    coupon_value: Decimal, subtotal: Decimal, cap: Decimal | None
) -> None:
    discount = percent(str(coupon_value), max_discount=cap).discount_for(subtotal)
    share = (subtotal * coupon_value / 100).quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert discount == min(share, cap if cap is not None else share, subtotal)
    assert D(0) <= discount <= subtotal
    assert discount.as_tuple().exponent == -2


@given(coupon_value=positive_amounts, subtotal=amounts, cap=st.none() | positive_amounts)
def test_flat_discount_is_the_smallest_of_value_cap_and_subtotal(
    coupon_value: Decimal, subtotal: Decimal, cap: Decimal | None
) -> None:
    discount = flat(str(coupon_value), max_discount=cap).discount_for(subtotal)
    assert discount == min(coupon_value, cap if cap is not None else coupon_value, subtotal)
    assert subtotal - discount >= 0


def test_a_plain_coupon_applies() -> None:
    assert percent("10").rejection(now=NOW, subtotal=D("1.00")) is None
    assert percent("10").apply(now=NOW, subtotal=D("1000.00")) == D("100.00")


def test_the_validity_window_includes_its_start_and_excludes_its_end() -> None:
    coupon = percent("10", valid_from=NOW, valid_until=NOW + timedelta(days=1))
    assert coupon.is_valid(now=NOW, subtotal=D(1))
    assert coupon.rejection(now=NOW - timedelta(microseconds=1), subtotal=D(1)) is CouponRejection.NOT_YET_VALID
    assert coupon.is_valid(now=NOW + timedelta(days=1, microseconds=-1), subtotal=D(1))
    assert coupon.rejection(now=NOW + timedelta(days=1), subtotal=D(1)) is CouponRejection.EXPIRED


def test_limits_count_previous_uses() -> None:
    coupon = percent("10", usage_limit=3, per_user_limit=1)
    assert coupon.is_valid(now=NOW, subtotal=D(1), times_used=2, times_used_by_user=0)
    assert coupon.rejection(now=NOW, subtotal=D(1), times_used=3) is CouponRejection.EXHAUSTED
    assert (
        coupon.rejection(now=NOW, subtotal=D(1), times_used=1, times_used_by_user=1)
        is CouponRejection.USER_LIMIT_REACHED
    )


def test_min_subtotal_is_inclusive() -> None:
    coupon = flat("50.00", min_subtotal=D("200.00"))
    assert coupon.is_valid(now=NOW, subtotal=D("200.00"))
    assert coupon.rejection(now=NOW, subtotal=D("199.99")) is CouponRejection.BELOW_MIN_SUBTOTAL


def test_an_inactive_coupon_never_applies() -> None:
    assert percent("10", active=False).rejection(now=NOW, subtotal=D(1)) is CouponRejection.INACTIVE


def test_apply_names_the_reason_on_the_coupon_code_field() -> None:
    coupon = percent("5", valid_until=datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(CouponRejected) as caught:
        coupon.apply(now=NOW, subtotal=D("100.00"))
    assert caught.value.reason is CouponRejection.EXPIRED
    assert caught.value.errors == {"coupon_code": ["This coupon has expired."]}


def test_validity_times_are_kept_in_utc() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    coupon = percent("10", valid_until=datetime(2026, 1, 1, 5, 30, tzinfo=ist))
    assert coupon.valid_until == datetime(2026, 1, 1, tzinfo=UTC)
    assert coupon.valid_until.tzinfo is UTC


@pytest.mark.parametrize(
    ("kind", "value", "extra", "field"),
    [
        (CouponKind.PERCENT, "0", {}, "value"),
        (CouponKind.PERCENT, "100.01", {}, "value"),
        (CouponKind.FLAT, "1.001", {}, "value"),
        (CouponKind.FLAT, "10", {"max_discount": D("0")}, "max_discount"),
        (CouponKind.FLAT, "10", {"usage_limit": 0}, "usage_limit"),
        (CouponKind.FLAT, "10", {"per_user_limit": -1}, "per_user_limit"),
        (CouponKind.FLAT, "10", {"usage_limit": 10**12}, "usage_limit"),
        (CouponKind.FLAT, "10", {"valid_from": datetime(2026, 1, 1)}, "valid_from"),
        (CouponKind.FLAT, "10", {"valid_from": NOW, "valid_until": NOW}, "valid_until"),
    ],
)
def test_a_coupon_refuses_values_that_break_it(
    kind: CouponKind, value: str, extra: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        Coupon("X1", kind, D(value), **extra)  # type: ignore[arg-type]
    assert field in caught.value.errors


def test_codes_are_matched_case_insensitively() -> None:
    assert normalize_code(" save10 ") == "SAVE10"
    with pytest.raises(ValidationFailed):
        Coupon("save10", CouponKind.PERCENT, D("10"))
