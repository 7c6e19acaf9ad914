"""Keyed digests and sealed payloads, with keys derived per purpose from one server secret.

cryptography (AES-GCM) is imported on the first seal or open, not with the module: its Rust extension is ~7 MiB of a
worker's memory, and a worker needs it only when it issues or delivers a mail code or saves a card (decision 0053).
The key derivation is HKDF-SHA256 written on the standard library (one block of RFC 5869), so a sign-in's digest key
needs no cryptography either."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_SALT = b"s2cart"


def derive_key(secret: str, purpose: str) -> bytes:
    """Separate keys for separate jobs: a leaked digest key does not open sealed mail, and vice versa.

    HKDF-SHA256 (RFC 5869) with the salt ``s2cart``, the purpose as info and 32 bytes out: the extract step, then
    one block of the expand step, byte for byte what cryptography's ``HKDF`` derives (a test checks it)."""
    pseudo_random_key = hmac.new(_SALT, secret.encode(), hashlib.sha256).digest()
    return hmac.new(pseudo_random_key, purpose.encode() + b"\x01", hashlib.sha256).digest()


class HmacDigest:
    """HMAC-SHA256: a database dump alone cannot brute-force 6-digit OTPs offline without the key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, secret: str) -> str:
        return hmac.new(self._key, secret.encode(), hashlib.sha256).hexdigest()


class AesGcmSecretBox:
    def __init__(self, key: bytes) -> None:
        self._key = key
        self._cipher: AESGCM | None = None

    @property
    def _aead(self) -> AESGCM:
        if self._cipher is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self._cipher = AESGCM(self._key)
        return self._cipher

    def seal(self, payload: dict[str, Any]) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, json.dumps(payload).encode(), b"s2cart-outbox")
        return base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, sealed: str) -> dict[str, Any]:
        raw = base64.urlsafe_b64decode(sealed.encode())
        data = self._aead.decrypt(raw[:12], raw[12:], b"s2cart-outbox")
        value: dict[str, Any] = json.loads(data)
        return value
