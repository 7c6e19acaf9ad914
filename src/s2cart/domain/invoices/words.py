"""An amount in words, the Indian way: thousand, lakh (1,00,000) and crore (1,00,00,000); rupees and paise.

1130.50      -> "Rupees One Thousand One Hundred Thirty and Paise Fifty Only"
12345678.09  -> "Rupees One Crore Twenty-Three Lakh Forty-Five Thousand Six Hundred Seventy-Eight and Paise
                 Nine Only"
"""

from __future__ import annotations

from decimal import Decimal

from s2cart.domain.shared.money import to_paise

_ONES = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
]
_TENS = ["_", "_", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"]
# Largest first: what each place is called and how many units it holds.
_PLACES = (("Crore", 10_000_000), ("Lakh", 100_000), ("Thousand", 1_000), ("Hundred", 100))


def _below_hundred(n: int) -> str:
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


def integer_in_words(n: int) -> str:
    """A whole number in Indian words ('One Lakh Five Thousand'); crores above 99 are counted in words too
    ('One Hundred Twenty Crore')."""
    if n < 0:
        raise ValueError("a negative amount has no words here")
    if n < 100:
        return _below_hundred(n)
    parts: list[str] = []
    for name, size in _PLACES:
        count, n = divmod(n, size)
        if count:
            parts.append(f"{integer_in_words(count)} {name}")
    if n:
        parts.append(_below_hundred(n))
    return " ".join(parts)


def amount_in_words(amount: Decimal) -> str:
    """Rupees and paise in words, ending 'Only' as invoices write it; paise are left out when there are none."""
    paise = int(to_paise(amount) * 100)
    if paise < 0:
        raise ValueError("a negative amount has no words here")
    rupees, paise = divmod(paise, 100)
    text = f"Rupees {integer_in_words(rupees)}"
    if paise:
        text += f" and Paise {integer_in_words(paise)}"
    return text + " Only"
