from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.payments.amounts import from_paise, rupee_text, rupees, to_paise

paise = st.integers(min_value=0, max_value=10**12)


@pytest.mark.parametrize(("amount", "expected"), [("1.15", 115), ("19.99", 1999), ("0.29", 29), ("4.35", 435)])
def test_paise_are_exact_where_float_loses_one(amount: str, expected: int) -> None:
    assert int(float(amount) * 100) == expected - 1  # the original service's bug, for the record
    assert to_paise(Decimal(amount)) == expected


@given(paise)
def test_paise_round_trip_through_rupees(value: int) -> None:
    amount = from_paise(value)
    assert amount == amount.quantize(Decimal("0.01"))
    assert to_paise(amount) == value
    assert Decimal(rupee_text(amount)) == amount
    assert len(rupee_text(amount).split(".")[1]) == 2


@pytest.mark.parametrize("bad", ["1.005", "-1.00", "NaN", "Infinity", "abc", ""])
def test_amounts_that_are_not_whole_paise_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=r"amount|paisa"):
        rupees(bad)


@pytest.mark.parametrize("bad", [-1, True, 1.5, "100"])
def test_paise_must_be_a_non_negative_integer(bad: object) -> None:
    with pytest.raises(ValueError, match="paise"):
        from_paise(bad)  # type: ignore[arg-type]


def test_rupee_text_always_has_two_decimals() -> None:
    assert rupee_text(Decimal("499")) == "499.00"
    assert rupee_text(Decimal("5.5")) == "5.50"
    assert rupees("5.5") == Decimal("5.50")
