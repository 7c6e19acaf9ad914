"""Input rules for support tickets and their messages."""

from __future__ import annotations

from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.users import rules as account_rules

SUBJECT_MAX = 200
TEXT_MAX = 5000


def subject_of(raw: str) -> str:
    value = " ".join(raw.split())
    if not value:
        raise ValidationFailed.on("subject", "This field may not be blank.")
    if len(value) > SUBJECT_MAX:
        raise ValidationFailed.on("subject", f"Ensure this field has no more than {SUBJECT_MAX} characters.")
    return value


def text_of(raw: str, field: str) -> str:
    """1-5000 characters; line breaks are kept (a description is prose), other control characters are not."""
    value = raw.strip()
    if not value:
        raise ValidationFailed.on(field, "This field may not be blank.")
    if len(value) > TEXT_MAX:
        raise ValidationFailed.on(field, f"Ensure this field has no more than {TEXT_MAX} characters.")
    if any((ord(ch) < 32 and ch not in "\n\r\t") or ord(ch) == 127 for ch in value):
        raise ValidationFailed.on(field, "Must not contain control characters.")
    return value


def attachment_url_of(raw: str | None) -> str | None:
    """An https link the customer hosts; S2Cart stores it and never fetches it."""
    if raw is None or not raw.strip():
        return None
    return account_rules.https_url_of(raw, "attachment_url")
