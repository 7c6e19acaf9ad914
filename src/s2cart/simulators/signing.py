"""The gateways' signatures as the simulators compute them: written apart from the adapters on purpose.

The Paytm checksum here chains AES blocks by hand (ECB per block, XOR with the previous one) and pads by
hand, so it shares nothing with the adapter's CBC code path except the AES block primitive itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import string
from collections.abc import Mapping

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAYTM_IV = b"@@@@&&&&####$$$$"
BLOCK = 16


def paytm_params_text(params: Mapping[str, str]) -> str:
    kept = [(k, v) for k, v in params.items() if k != "CHECKSUMHASH"]
    kept.sort(key=lambda item: item[0])
    return "|".join("" if v is None or v.lower() == "null" else v for _, v in kept)


def _block_cipher(key: str) -> Cipher[modes.ECB]:
    return Cipher(algorithms.AES(key.encode("utf-8")), modes.ECB())  # noqa: S305 - CBC is chained below


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def paytm_checksum(text: str, key: str, salt: str | None = None) -> str:
    if salt is None:
        salt = "".join(random.choices(string.ascii_letters + string.digits, k=4))  # noqa: S311 - test double
    plain = (hashlib.sha256(f"{text}|{salt}".encode()).hexdigest() + salt).encode("ascii")
    pad = BLOCK - len(plain) % BLOCK
    plain += bytes([pad]) * pad
    encryptor = _block_cipher(key).encryptor()
    previous, out = PAYTM_IV, b""
    for i in range(0, len(plain), BLOCK):
        previous = encryptor.update(_xor(plain[i : i + BLOCK], previous))
        out += previous
    return base64.b64encode(out).decode("ascii")


def paytm_checksum_ok(text: str, key: str, checksum: str | None) -> bool:
    if not checksum:
        return False
    try:
        data = base64.b64decode(checksum.encode("ascii"), validate=True)
        if not data or len(data) % BLOCK:
            return False
        decryptor = _block_cipher(key).decryptor()
        previous, plain = PAYTM_IV, b""
        for i in range(0, len(data), BLOCK):
            block = data[i : i + BLOCK]
            plain += _xor(decryptor.update(block), previous)
            previous = block
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            return False
        recovered = plain[:-pad].decode("ascii")
    except (ValueError, UnicodeError):
        return False
    salt = recovered[-4:]
    expected = hashlib.sha256(f"{text}|{salt}".encode()).hexdigest() + salt
    return len(recovered) > 4 and hmac.compare_digest(recovered.encode(), expected.encode())


def x_verify(text: str, salt_key: str, salt_index: int) -> str:
    return hashlib.sha256(text.encode("utf-8") + salt_key.encode("utf-8")).hexdigest() + f"###{salt_index}"


def x_verify_ok(text: str, header: str | None, salt_key: str, salt_index: int) -> bool:
    expected = x_verify(text, salt_key, salt_index).encode()
    return header is not None and hmac.compare_digest(header.encode("utf-8", "replace"), expected)


def webhook_authorization(username: str, password: str) -> str:
    """PhonePe v2 webhooks: ``Authorization: sha256hex("username:password")``."""
    return hashlib.sha256(f"{username}:{password}".encode()).hexdigest()
