"""Paytm signs characters: the body text must be cut out of a reply exactly as it arrived."""

from __future__ import annotations

import json

import pytest

from s2cart.adapters.payments import paytm_checksum, paytm_envelope
from tests.integration.payments.vectors import PAYTM_KEY, V3_STRING


def test_a_signed_request_embeds_the_same_text_it_signs() -> None:
    document = paytm_envelope.signed_request(V3_STRING, PAYTM_KEY)
    assert paytm_envelope.member_text(document, "body") == V3_STRING
    signature = json.loads(document)["head"]["signature"]
    assert paytm_checksum.verify(V3_STRING, PAYTM_KEY, signature)


def test_body_text_is_compact_json_in_insertion_order() -> None:
    assert paytm_envelope.body_text({"mid": "M", "orderId": "O"}) == '{"mid":"M","orderId":"O"}'


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ('{"head":{"x":"\\"body\\":1"},"body":{"a": 1}}', '{"a": 1}'),  # "body": inside a string first
        ('{"head":{"body":{"fake":1}},"body" : {"real":[1,2]} }', '{"real":[1,2]}'),  # nested member first
        ('  {"body":"text"}', '"text"'),
        ('{"head":{}}', None),
        ("[1,2]", None),
        ('{"body":', None),
        ("not json", None),
    ],
)
def test_the_top_level_body_member_is_found_exactly(document: str, expected: str | None) -> None:
    assert paytm_envelope.member_text(document, "body") == expected
