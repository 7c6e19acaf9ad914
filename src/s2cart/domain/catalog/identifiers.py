"""Catalog identifiers: short, URL-safe strings chosen by whoever runs the catalog."""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_NAME_LENGTH = 200
MAX_URL_LENGTH = 500
# Counts (stock, coupon uses) fit a 32-bit INTEGER column with room to spare.
MAX_COUNT = 1_000_000_000


def identifier_problem(value: object) -> str | None:
    """Why ``value`` cannot be a store or product id (it appears in URL paths), or None."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        return "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
    return None


def name_problem(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "must be a non-empty string"
    if len(value) > MAX_NAME_LENGTH:
        return f"must be at most {MAX_NAME_LENGTH} characters"
    return None


def image_url_problem(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        return "must be an http(s) URL or null"
    if len(value) > MAX_URL_LENGTH:
        return f"must be at most {MAX_URL_LENGTH} characters"
    return None


def count_problem(value: object, *, minimum: int, meaning_of_null: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_COUNT:
        return f"must be a whole number from {minimum} to {MAX_COUNT}, or null ({meaning_of_null})"
    return None


def optional_text_problem(value: object, max_length: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        return "must be a non-empty string or null"
    if len(value) > max_length:
        return f"must be at most {max_length} characters"
    return None


def image_list_problem(value: object, max_images: int = 10) -> str | None:
    if not isinstance(value, tuple) or len(value) > max_images:
        return f"must be a list of at most {max_images} https URLs"
    for url in value:
        if not isinstance(url, str) or not url.startswith("https://") or len(url) > MAX_URL_LENGTH:
            return f"must be a list of https URLs of at most {MAX_URL_LENGTH} characters"
    return None
