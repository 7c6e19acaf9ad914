"""Amounts in words, the Indian way (lakh and crore), rupees and paise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from s2cart.domain.invoices.words import amount_in_words, integer_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "Rupees Zero Only"),
        ("0.05", "Rupees Zero and Paise Five Only"),
        ("1", "Rupees One Only"),
        ("19.99", "Rupees Nineteen and Paise Ninety-Nine Only"),
        ("1130.50", "Rupees One Thousand One Hundred Thirty and Paise Fifty Only"),
        ("100000", "Rupees One Lakh Only"),
        ("250075.10", "Rupees Two Lakh Fifty Thousand Seventy-Five and Paise Ten Only"),
        (
            "12345678.09",
            "Rupees One Crore Twenty-Three Lakh Forty-Five Thousand Six Hundred Seventy-Eight and Paise Nine Only",
        ),
        ("1200000000", "Rupees One Hundred Twenty Crore Only"),
        ("2108.955", "Rupees Two Thousand One Hundred Eight and Paise Ninety-Six Only"),  # half-up to paise
    ],
)
def test_amounts_in_indian_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_whole_numbers_and_refusals() -> None:
    assert integer_in_words(99_99_999) == "Ninety-Nine Lakh Ninety-Nine Thousand Nine Hundred Ninety-Nine"
    assert integer_in_words(10_00_00_000) == "Ten Crore"
    with pytest.raises(ValueError, match="negative"):
        amount_in_words(Decimal("-1"))
