"""The Paytm checksum (``head.signature`` / ``CHECKSUMHASH``), as in ``paytmchecksum`` 1.7.0.

checksum = base64(AES-CBC(key, IV, pkcs7(sha256hex(payload + "|" + salt) + salt))), with a 4-character
random salt and a fixed IV. The payload is either the exact text of a JSON ``body`` or a flat form dict,
flattened as its values joined with ``|`` in key order (``CHECKSUMHASH`` left out, null-ish values empty).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import string
from collections.abc import Mapping

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

IV = b"@@@@&&&&####$$$$"
SALT_ALPHABET = string.ascii_letters + string.digits
SALT_LENGTH = 4
CHECKSUM_FIELD = "CHECKSUMHASH"
AES_KEY_LENGTHS = (16, 24, 32)

Payload = str | Mapping[str, str | None]


def flatten(params: Mapping[str, str | None]) -> str:
    """Every field except the checksum, even empty ones: dropping one removes a ``|`` and breaks it."""
    values = []
    for name in sorted(params):
        if name == CHECKSUM_FIELD:
            continue
        value = params[name]
        values.append("" if value is None or value.lower() == "null" else value)
    return "|".join(values)


def _text(payload: Payload) -> str:
    return payload if isinstance(payload, str) else flatten(payload)


def _hash_with_salt(text: str, salt: str) -> str:
    return hashlib.sha256(f"{text}|{salt}".encode()).hexdigest() + salt


def _cipher(key: str) -> Cipher[modes.CBC]:
    raw = key.encode()
    if len(raw) not in AES_KEY_LENGTHS:
        raise ValueError("the Paytm merchant key must be 16, 24 or 32 bytes")
    return Cipher(algorithms.AES(raw), modes.CBC(IV))


def encrypt(plain: str, key: str) -> str:
    padder = padding.PKCS7(128).padder()
    data = padder.update(plain.encode()) + padder.finalize()
    encryptor = _cipher(key).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode("ascii")


def decrypt(checksum: str, key: str) -> str:
    """Raises on anything that is not a checksum made with ``key``; ``verify`` turns that into False."""
    data = base64.b64decode(checksum, validate=True)
    decryptor = _cipher(key).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(padded) + unpadder.finalize()).decode("ascii")


def generate(payload: Payload, key: str, *, salt: str | None = None) -> str:
    if salt is None:
        salt = "".join(secrets.choice(SALT_ALPHABET) for _ in range(SALT_LENGTH))
    return encrypt(_hash_with_salt(_text(payload), salt), key)


def verify(payload: Payload, key: str, checksum: str | None) -> bool:
    """True only for a checksum of exactly this payload under ``key``; never raises."""
    if not checksum:
        return False
    try:
        plain = decrypt(checksum, key)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    if len(plain) <= SALT_LENGTH:
        return False
    expected = _hash_with_salt(_text(payload), plain[-SALT_LENGTH:])
    return hmac.compare_digest(expected.encode(), plain.encode())
