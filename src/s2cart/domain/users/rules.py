"""Input rules for accounts: usernames, emails, Indian mobile numbers, profile values."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from s2cart.domain.shared.errors import ValidationFailed

USERNAME_RE = re.compile(r"^[\w.@+-]{3,150}$", re.ASCII)
# Deliberately simple: one @, no spaces, a dotted domain of letters/digits/hyphens. Delivery proves the rest.
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)
MOBILE_RE = re.compile(r"^[6-9]\d{9}$", re.ASCII)
NAME_MAX = 150
URL_MAX = 500


def username_of(raw: str) -> tuple[str, str]:
    """The username as given and its case-insensitive key."""
    value = raw.strip()
    if not USERNAME_RE.match(value):
        raise ValidationFailed.on("username", "Username must be 3-150 characters: letters, digits and @ . + - _ only.")
    return value, value.casefold()


def email_of(raw: str) -> tuple[str, str]:
    """The email as given (trimmed) and its case-insensitive key."""
    value = raw.strip()
    if len(value) > 254 or ".." in value or not EMAIL_RE.match(value):
        raise ValidationFailed.on("email", "Enter a valid email address.")
    return value, value.lower()


def email_key(raw: str) -> str:
    return raw.strip().lower()


def phone_of(raw: str, field: str = "phone_number") -> str:
    """``+91XXXXXXXXXX`` from that form or a bare 10-digit Indian mobile (spaces and hyphens ignored)."""
    compact = re.sub(r"[\s-]", "", raw)
    if compact.startswith("+91"):
        compact = compact[3:]
    if not MOBILE_RE.match(compact):
        raise ValidationFailed.on(field, "Enter an Indian mobile number as +91XXXXXXXXXX or 10 digits.")
    return f"+91{compact}"


def name_of(raw: str, field: str) -> str:
    value = raw.strip()
    if len(value) > NAME_MAX:
        raise ValidationFailed.on(field, f"Must be at most {NAME_MAX} characters.")
    if any(ord(ch) < 32 for ch in value):
        raise ValidationFailed.on(field, "Must not contain control characters.")
    return value


def birth_date_of(value: date, today: date) -> date:
    if value > today:
        raise ValidationFailed.on("date_of_birth", "Date of birth cannot be in the future.")
    if value.year < 1900:
        raise ValidationFailed.on("date_of_birth", "Date of birth is too far in the past.")
    return value


def https_url_of(raw: str, field: str) -> str:
    value = raw.strip()
    parts = urlsplit(value)
    if len(value) > URL_MAX or parts.scheme != "https" or not parts.netloc or " " in value:
        raise ValidationFailed.on(field, "Must be an https URL of at most 500 characters.")
    return value
