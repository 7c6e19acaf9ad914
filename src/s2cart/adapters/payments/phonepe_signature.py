"""PhonePe v1 ``X-VERIFY``: ``sha256hex(text + saltKey) + "###" + saltIndex``.

The text is ``base64 payload + API path`` for pay and refund, the path alone for status, and the callback's
``response`` string exactly as received. Keys rotate by index, so verification looks the index up.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SEPARATOR = "###"


def sign(text: str, salt_key: str, salt_index: int) -> str:
    return f"{hashlib.sha256((text + salt_key).encode()).hexdigest()}{SEPARATOR}{salt_index}"


def verify(text: str, header: str | None, salt_keys: Mapping[int, str]) -> bool:
    """True when ``header`` signs ``text`` with a known salt index; never raises."""
    if not header or SEPARATOR not in header:
        return False
    digest, _, index_text = header.rpartition(SEPARATOR)
    if not (index_text.isascii() and index_text.isdigit()):
        return False
    salt_key = salt_keys.get(int(index_text))
    if salt_key is None:
        return False
    expected = hashlib.sha256((text + salt_key).encode()).hexdigest()
    return hmac.compare_digest(expected.encode(), digest.lower().encode())
