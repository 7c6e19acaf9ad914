"""Small conversions shared by every area's wire format."""

from __future__ import annotations

from datetime import datetime


def wire_time(value: datetime | None) -> datetime | None:
    """Whole seconds, UTC, as the contract writes them (2025-01-20T10:30:00Z)."""
    return value.replace(microsecond=0) if value is not None else None
