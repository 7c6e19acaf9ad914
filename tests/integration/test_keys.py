"""Key derivation and sealed payloads (adapters/security/keys.py)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from s2cart.adapters.security.keys import AesGcmSecretBox, derive_key


@pytest.mark.parametrize(
    ("secret", "purpose"),
    [("s3cret", "digest"), ("x" * 200, "outbox"), ("clé-ünïcode", "payment-methods"), ("", ""), ("k", "a" * 300)],
)
def test_keys_are_derived_byte_for_byte_as_cryptographys_hkdf_derives_them(secret: str, purpose: str) -> None:
    # decision 0053: HKDF-SHA256 on hashlib, so that a worker needs no cryptography to sign people in. The keys
    # must stay what they were: sealed mail codes and saved cards were sealed under them.
    expected = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"s2cart", info=purpose.encode()).derive(secret.encode())
    assert derive_key(secret, purpose) == expected


def test_a_box_opens_what_it_sealed_and_nothing_sealed_under_another_key() -> None:
    box = AesGcmSecretBox(derive_key("secret", "outbox"))
    sealed = box.seal({"code": "123456"})
    assert box.open(sealed) == {"code": "123456"}
    with pytest.raises(Exception):  # noqa: B017,PT011  (cryptography's InvalidTag)
        AesGcmSecretBox(derive_key("secret", "payment-methods")).open(sealed)
