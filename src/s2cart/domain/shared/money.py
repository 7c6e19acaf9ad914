"""Rupees and paise: Decimal quantized to 0.01, rounded half-up, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PAISA = Decimal("0.01")
ZERO = Decimal("0.00")
# The largest amount a NUMERIC(12, 2) column holds; a price above it could not be stored.
MAX_AMOUNT = Decimal("9999999999.99")


def to_paise(amount: Decimal | int) -> Decimal:
    """Round an exact amount half-up to whole paise."""
    return Decimal(amount).quantize(PAISA, rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal:
    """A non-negative decimal string with at most two decimals (paise), exactly as written.

    Raises ``ValueError`` with a message fit for a person; amounts are never rounded silently.
    """
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f'must be a decimal number like "500.00", got {text!r}') from None
    if not value.is_finite():
        raise ValueError(f"must be a finite number, got {text!r}")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(f"must have at most 2 decimal places, got {text!r}")
    if value < 0:
        raise ValueError(f"must not be negative, got {text!r}")
    if value > MAX_AMOUNT:
        raise ValueError(f"must be at most {MAX_AMOUNT}, got {text!r}")
    return to_paise(value)
