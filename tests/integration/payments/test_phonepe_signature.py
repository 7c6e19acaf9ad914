"""PhonePe X-VERIFY against the protocol note's vectors (section 3.5): the adapter's and the simulator's."""

from __future__ import annotations

import base64
import json

import pytest

from s2cart.adapters.payments import phonepe_signature
from s2cart.simulators import signing
from tests.integration.payments.vectors import (
    P1_BASE64,
    P1_X_VERIFY,
    P2_BASE64,
    P2_JSON,
    P2_X_VERIFY,
    P3_HASHED,
    P3_PATH,
    P3_X_VERIFY,
    P4_JSON,
    P4_RESPONSE,
    P4_X_VERIFY,
    PHONEPE_SALT_INDEX,
    PHONEPE_SALT_KEY,
)

KEYS = {PHONEPE_SALT_INDEX: PHONEPE_SALT_KEY}
VECTORS = [
    (P1_BASE64 + "/pg/v1/pay", P1_X_VERIFY),
    (P2_BASE64 + "/pg/v1/pay", P2_X_VERIFY),
    (P3_PATH, P3_X_VERIFY),
    (P4_RESPONSE, P4_X_VERIFY),
]


@pytest.mark.parametrize(("text", "header"), VECTORS)
def test_every_vector_is_reproduced_by_adapter_and_simulator(text: str, header: str) -> None:
    assert phonepe_signature.sign(text, PHONEPE_SALT_KEY, PHONEPE_SALT_INDEX) == header
    assert signing.x_verify(text, PHONEPE_SALT_KEY, PHONEPE_SALT_INDEX) == header
    assert phonepe_signature.verify(text, header, KEYS)
    assert signing.x_verify_ok(text, header, PHONEPE_SALT_KEY, PHONEPE_SALT_INDEX)


def test_payloads_encode_to_the_vector_base64() -> None:
    assert base64.b64encode(P2_JSON.encode()).decode() == P2_BASE64
    assert base64.b64encode(P4_JSON.encode()).decode() == P4_RESPONSE
    # P1 is PhonePe's own pretty-printed example: whitespace is part of what is signed.
    assert json.loads(base64.b64decode(P1_BASE64))["merchantTransactionId"] == "MT7850590068188104"
    assert P3_PATH + PHONEPE_SALT_KEY == P3_HASHED


@pytest.mark.parametrize(
    ("text", "header"),
    [
        (P4_RESPONSE[:-4] + "fX0K", P4_X_VERIFY),  # response tampered
        (P4_RESPONSE, P4_X_VERIFY.replace("###1", "###2")),  # unknown salt index
        (P4_RESPONSE, P4_X_VERIFY.split("###")[0]),  # no index
        (P4_RESPONSE, "###1"),
        (P4_RESPONSE, P4_X_VERIFY.replace("###1", "###x")),
        (P4_RESPONSE, P4_X_VERIFY.replace("###1", "###\u00b9")),  # a digit to isdigit(), not to int()
        (P4_RESPONSE, ""),
        (P4_RESPONSE, None),
        (json.dumps(json.loads(P4_JSON)), P4_X_VERIFY),  # same JSON, other spacing: other bytes
    ],
)
def test_negatives_are_invalid_and_never_raise(text: str, header: str | None) -> None:
    assert phonepe_signature.verify(text, header, KEYS) is False
    assert signing.x_verify_ok(text, header, PHONEPE_SALT_KEY, PHONEPE_SALT_INDEX) is False


def test_a_rotated_key_still_verifies_by_its_index() -> None:
    new_header = phonepe_signature.sign(P4_RESPONSE, "new-salt-key", 2)
    keys = {1: PHONEPE_SALT_KEY, 2: "new-salt-key"}
    assert phonepe_signature.verify(P4_RESPONSE, P4_X_VERIFY, keys)
    assert phonepe_signature.verify(P4_RESPONSE, new_header, keys)
    assert not phonepe_signature.verify(P4_RESPONSE, new_header, KEYS)
