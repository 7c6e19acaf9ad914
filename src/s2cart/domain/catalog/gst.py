"""Indian GST facts a catalog needs: state codes, GSTINs (with their check character) and the rate slabs."""

from __future__ import annotations

import re
from decimal import Decimal

# Two-digit state codes of the GST system: 01-38 are states and union territories, 97 "other territory".
STATE_CODES = frozenset({f"{n:02d}" for n in range(1, 39)} | {"97"})
GST_SLABS = tuple(Decimal(rate) for rate in ("0", "0.25", "3", "5", "18", "40"))
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# State code, PAN (5 letters, 4 digits, 1 letter), entity number, 'Z' by default, check character.
_GSTIN = re.compile(r"[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z][A-Z0-9][0-9A-Z]")
_HSN = re.compile(r"[0-9]{4}(?:[0-9]{2}){0,2}")


def gstin_check_character(first_fourteen: str) -> str:
    """The 15th character of a GSTIN: a base-36 Luhn-style sum over the first 14 (weights 1, 2, 1, 2 ...)."""
    total = 0
    for index, character in enumerate(first_fourteen):
        product = _ALPHABET.index(character) * (2 if index % 2 else 1)
        total += product // 36 + product % 36
    return _ALPHABET[(36 - total % 36) % 36]


def gstin_problem(value: object, state_code: str | None = None) -> str | None:
    """Why ``value`` is not a valid GSTIN (for a store in ``state_code``, when given), or None."""
    if not isinstance(value, str) or not _GSTIN.fullmatch(value):
        return "must be 15 characters: state code, PAN, entity number, 'Z' and a check character (upper case)"
    if value[:2] not in STATE_CODES:
        return f"starts with '{value[:2]}', which is not a GST state code"
    if state_code is not None and value[:2] != state_code:
        return f"starts with state code '{value[:2]}' but the store's state_code is '{state_code}'"
    expected = gstin_check_character(value[:14])
    if value[14] != expected:
        return f"check character is wrong (expected '{expected}'): a mistyped GSTIN"
    return None


def state_code_problem(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in STATE_CODES:
        return 'must be a two-digit GST state code such as "29" (01-38 or 97)'
    return None


def gst_rate_problem(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or value not in GST_SLABS:
        return "must be one of the GST slabs " + ", ".join(str(rate) for rate in GST_SLABS)
    return None


def hsn_code_problem(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _HSN.fullmatch(value):
        return "must be an HSN/SAC code of 4, 6 or 8 digits"
    return None


def pincode_problem(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[1-9][0-9]{5}", value):
        return "must be a six-digit PIN code"
    return None
