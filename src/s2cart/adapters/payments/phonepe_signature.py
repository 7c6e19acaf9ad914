"""PhonePe v1 ``X-VERIFY``: ``sha256hex(text + saltKey) + "###" + saltIndex``.

The text is ``base64 payload + API path`` for pay and refund, the path alone for status, and the callback's
``response`` string exactly as received. Keys rotate by index, so verification looks the index up.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping

SEPARATOR = "###"
# 64 hex digits, the separator, a salt index of a few digits: checked before anything is parsed or hashed.
HEADER = re.compile(r"[0-9A-Fa-f]{64}###([0-9]{1,6})")


def sign(text: str, salt_key: str, salt_index: int) -> str:
    return f"{hashlib.sha256((text + salt_key).encode()).hexdigest()}{SEPARATOR}{salt_index}"


def _salt_key(header: str | None, salt_keys: Mapping[int, str]) -> str | None:
    match = HEADER.fullmatch(header) if header and len(header) <= 80 else None
    return salt_keys.get(int(match.group(1))) if match else None


def well_formed(header: str | None, salt_keys: Mapping[int, str]) -> bool:
    """The cheap check: a header of the right shape naming a salt index we hold (no hashing, no parsing)."""
    return _salt_key(header, salt_keys) is not None


def verify(text: str, header: str | None, salt_keys: Mapping[int, str]) -> bool:
    """True when ``header`` signs ``text`` with a known salt index; never raises."""
    salt_key = _salt_key(header, salt_keys)
    if header is None or salt_key is None:
        return False
    digest = header.rpartition(SEPARATOR)[0]
    expected = hashlib.sha256((text + salt_key).encode()).hexdigest()
    return hmac.compare_digest(expected.encode(), digest.lower().encode())
