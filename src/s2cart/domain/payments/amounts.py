"""Rupee amounts as gateways see them: exact paise, and 2-decimal rupee strings.

The original service computed ``int(float(rupees) * 100)``, which loses a paisa (1.15 -> 114). Every
conversion here is exact ``Decimal`` arithmetic and refuses an amount that is not a whole number of paise
instead of rounding it away.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
# What S2Cart can hold (NUMERIC(12, 2)): an amount a gateway reports beyond it is not an amount we asked for.
MAX_PAISE = 10**12 - 1


def rupees(value: Decimal | str) -> Decimal:
    """A non-negative rupee amount quantized to 0.01; more precision than a paisa is refused."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"not a non-negative amount: {value!r}")
    try:
        quantized = amount.quantize(CENT)  # 1e30 has more digits than the context holds: InvalidOperation
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
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


def reported_paise(value: object) -> int | None:
    """An amount a gateway reported, as paise within what S2Cart can hold; None when it is not one.

    Takes integer paise (PhonePe) or 2-decimal rupee text (Paytm); never a float or a bool.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if len(value) > 32:
            return None
        try:
            value = to_paise(rupees(value))
        except ValueError:
            return None
    if not isinstance(value, int) or not 0 <= value <= MAX_PAISE:
        return None
    return value
