from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.shared.money import MAX_AMOUNT, parse_amount, to_paise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("1.125", "1.13"), ("10", "10.00")],
)
def test_to_paise_rounds_half_up(raw: str, expected: str) -> None:
    assert to_paise(Decimal(raw)) == Decimal(expected)
    assert str(to_paise(Decimal(raw))) == expected


@given(st.decimals(min_value=0, max_value=10**9, places=6))
def test_to_paise_moves_an_amount_by_at_most_half_a_paisa(amount: Decimal) -> None:
    rounded = to_paise(amount)
    assert rounded.as_tuple().exponent == -2
    assert abs(rounded - amount) <= Decimal("0.005")


@pytest.mark.parametrize(("raw", "expected"), [("500.00", "500.00"), ("500", "500.00"), (" 0.5 ", "0.50")])
def test_parse_amount_keeps_what_was_written(raw: str, expected: str) -> None:
    assert str(parse_amount(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("12.345", "at most 2 decimal places"),
        ("-1", "negative"),
        ("abc", "decimal number"),
        ("NaN", "finite"),
        ("Infinity", "finite"),
        (str(MAX_AMOUNT + 1), "at most"),
    ],
)
def test_parse_amount_refuses_rather_than_rounds(raw: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_amount(raw)
