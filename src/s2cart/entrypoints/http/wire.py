"""Small conversions shared by every area's wire format."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal


def wire_time(value: datetime | None) -> datetime | None:
    """Whole seconds, UTC, as the contract writes them (2025-01-20T10:30:00Z)."""
    return value.replace(microsecond=0) if value is not None else None


def money(value: Decimal) -> float:
    """The contract writes amounts as JSON numbers (1250.50). Amounts are Decimal paise everywhere inside;
    a two-decimal amount below 10^13 converts to the float whose shortest form is exactly those digits."""
    return float(value)
