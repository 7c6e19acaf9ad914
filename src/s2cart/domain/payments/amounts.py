"""Rupee amounts as gateways see them: exact paise, and 2-decimal rupee strings.

The original service computed ``int(float(rupees) * 100)``, which loses a paisa (1.15 -> 114). Every
conversion here is exact ``Decimal`` arithmetic and refuses an amount that is not a whole number of paise
instead of rounding it away.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")


def rupees(value: Decimal | str) -> Decimal:
    """A non-negative rupee amount quantized to 0.01; more precision than a paisa is refused."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"not a non-negative amount: {value!r}")
    quantized = amount.quantize(CENT)
    if quantized != amount:
        raise ValueError(f"amount has fractions of a paisa: {value!r}")
    return quantized


def to_paise(amount: Decimal) -> int:
    return int(rupees(amount).scaleb(2))


def from_paise(paise: int) -> Decimal:
    if isinstance(paise, bool) or not isinstance(paise, int) or paise < 0:
        raise ValueError(f"not a non-negative number of paise: {paise!r}")
    return Decimal(paise).scaleb(-2).quantize(CENT)


def rupee_text(amount: Decimal) -> str:
    """The wire form Paytm expects: ``"499.00"``."""
    return f"{rupees(amount):.2f}"
