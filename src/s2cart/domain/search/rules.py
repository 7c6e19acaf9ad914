"""Input rules for search history entries."""

from __future__ import annotations

from s2cart.domain.shared.errors import ValidationFailed

QUERY_MAX = 255
CATEGORY_MAX = 100
# Results beyond this are a client bug, not a catalog (and it keeps the column a 32-bit integer).
RESULTS_MAX = 2**31 - 1


def _clean(raw: str, field: str, limit: int) -> str:
    value = " ".join(raw.split())
    if len(value) > limit:
        raise ValidationFailed.on(field, f"Ensure this field has no more than {limit} characters.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValidationFailed.on(field, "Must not contain control characters.")
    return value


def query_of(raw: str) -> str:
    """1-255 characters once trimmed (inner runs of whitespace count as one space)."""
    value = _clean(raw, "query", QUERY_MAX)
    if not value:
        raise ValidationFailed.on("query", "This field may not be blank.")
    return value


def category_of(raw: str | None) -> str | None:
    """Optional: missing or blank means no category."""
    if raw is None:
        return None
    return _clean(raw, "category", CATEGORY_MAX) or None


def results_count_of(value: int) -> int:
    if not 0 <= value <= RESULTS_MAX:
        raise ValidationFailed.on("results_count", "Must be a whole number, 0 or more.")
    return value
