"""Paytm checksum against the protocol note's vectors (section 2.5): the adapter's and the simulator's.

Both implementations must reproduce every vector on their own, so a bug shared by adapter and simulator
cannot hide behind a test that only round-trips between them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping

import pytest

from s2cart.adapters.payments import paytm_checksum
from s2cart.simulators import signing
from tests.integration.payments.vectors import (
    PAYTM_KEY,
    PAYTM_VECTORS,
    V1_CHECKSUM,
    V1_PARAMS,
    V1_SALT,
    V1_SHA256,
    V1_STRING,
    V2_CHECKSUM,
    V2_PARAMS,
    V2_STRING,
    V3_CHECKSUM,
    V3_STRING,
)

Flatten = Callable[[Mapping[str, str]], str]
Generate = Callable[[str, str, str], str]
Verify = Callable[[str, str, str | None], bool]

IMPLEMENTATIONS: dict[str, tuple[Flatten, Generate, Verify]] = {
    "adapter": (
        paytm_checksum.flatten,
        lambda text, key, salt: paytm_checksum.generate(text, key, salt=salt),
        paytm_checksum.verify,
    ),
    "simulator": (signing.paytm_params_text, signing.paytm_checksum, signing.paytm_checksum_ok),
}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def impl(request: pytest.FixtureRequest) -> tuple[Flatten, Generate, Verify]:
    return IMPLEMENTATIONS[request.param]


@pytest.mark.parametrize(("text", "salt", "sha256", "checksum"), PAYTM_VECTORS)
def test_every_vector_is_reproduced_and_verifies(
    impl: tuple[Flatten, Generate, Verify], text: str, salt: str, sha256: str, checksum: str
) -> None:
    _, generate, verify = impl
    assert hashlib.sha256(f"{text}|{salt}".encode()).hexdigest() == sha256
    assert generate(text, PAYTM_KEY, salt) == checksum
    assert verify(text, PAYTM_KEY, checksum)


def test_dicts_flatten_to_the_vector_strings(impl: tuple[Flatten, Generate, Verify]) -> None:
    flatten, _, _ = impl
    assert flatten(V1_PARAMS) == V1_STRING
    assert flatten(V2_PARAMS) == V2_STRING  # the empty BANKNAME keeps its leading "|"
    assert flatten({**V2_PARAMS, "BANKNAME": "null"}) == V2_STRING
    assert flatten({**V2_PARAMS, "BANKNAME": "NULL"}) == V2_STRING
    assert flatten({**V2_PARAMS, "CHECKSUMHASH": V2_CHECKSUM}) == V2_STRING


def test_the_adapter_signs_and_verifies_form_dicts_directly() -> None:
    assert paytm_checksum.generate(V1_PARAMS, PAYTM_KEY, salt=V1_SALT) == V1_CHECKSUM
    assert paytm_checksum.verify({**V2_PARAMS, "BANKNAME": "null"}, PAYTM_KEY, V2_CHECKSUM)
    with_checksum = {**V2_PARAMS, "CHECKSUMHASH": V2_CHECKSUM}
    assert paytm_checksum.verify(with_checksum, PAYTM_KEY, V2_CHECKSUM)
    assert with_checksum["CHECKSUMHASH"] == V2_CHECKSUM  # unlike the library, the caller's dict is untouched


def test_decrypting_v1_gives_hash_and_salt() -> None:
    assert paytm_checksum.decrypt(V1_CHECKSUM, PAYTM_KEY) == V1_SHA256 + V1_SALT


@pytest.mark.parametrize(
    ("text", "key", "checksum"),
    [
        (V2_STRING.replace("|499.00|", "|1.00|"), PAYTM_KEY, V2_CHECKSUM),  # TXNAMOUNT tampered
        (V2_STRING[1:], PAYTM_KEY, V2_CHECKSUM),  # the empty BANKNAME field dropped
        (V3_STRING.replace("499.00", "4.99"), PAYTM_KEY, V3_CHECKSUM),
        (V3_STRING, "WrongKey12345678", V3_CHECKSUM),  # the library raises UnicodeDecodeError here
        (V3_STRING, PAYTM_KEY, "not-base64!!"),
        (V3_STRING, PAYTM_KEY, V3_CHECKSUM[:64]),  # not a whole number of blocks
        (V3_STRING, PAYTM_KEY, ""),
        (V3_STRING, PAYTM_KEY, None),
        (V3_STRING, "short-key", V3_CHECKSUM),  # not an AES key length
    ],
)
def test_negatives_are_invalid_and_never_raise(
    impl: tuple[Flatten, Generate, Verify], text: str, key: str, checksum: str | None
) -> None:
    _, _, verify = impl
    assert verify(text, key, checksum) is False


def test_generated_checksums_are_salted_at_random_and_verify() -> None:
    first = paytm_checksum.generate(V3_STRING, PAYTM_KEY)
    second = paytm_checksum.generate(V3_STRING, PAYTM_KEY)
    assert first != second
    assert len(first) == 108
    assert paytm_checksum.verify(V3_STRING, PAYTM_KEY, first)
    assert signing.paytm_checksum_ok(V3_STRING, PAYTM_KEY, first)  # and the simulator agrees
    salt = paytm_checksum.decrypt(first, PAYTM_KEY)[-4:]
    assert salt.isascii()
    assert salt.isalnum()


def test_a_merchant_key_of_the_wrong_length_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="16, 24 or 32"):
        paytm_checksum.generate(V3_STRING, "fifteen-chars!!")
