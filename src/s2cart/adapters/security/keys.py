"""Keyed digests and sealed payloads, with keys derived per purpose from one server secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derive_key(secret: str, purpose: str) -> bytes:
    """Separate keys for separate jobs: a leaked digest key does not open sealed mail, and vice versa."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"s2cart", info=purpose.encode()).derive(secret.encode())


class HmacDigest:
    """HMAC-SHA256: a database dump alone cannot brute-force 6-digit OTPs offline without the key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, secret: str) -> str:
        return hmac.new(self._key, secret.encode(), hashlib.sha256).hexdigest()


class AesGcmSecretBox:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, payload: dict[str, Any]) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, json.dumps(payload).encode(), b"s2cart-outbox")
        return base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, sealed: str) -> dict[str, Any]:
        raw = base64.urlsafe_b64decode(sealed.encode())
        data = self._aead.decrypt(raw[:12], raw[12:], b"s2cart-outbox")
        value: dict[str, Any] = json.loads(data)
        return value
