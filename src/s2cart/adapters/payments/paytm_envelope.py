"""Paytm's JSON envelope ``{"body": ..., "head": {"signature": ...}}``, signed over the body's exact text.

Paytm signs characters, not data: the request body is serialized once and the same text is signed and
sent; a reply's body is cut out of the reply text as it arrived, never re-serialized.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from s2cart.adapters.payments import paytm_checksum


def body_text(body: Mapping[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"))


def signed_request(text: str, merchant_key: str) -> str:
    head = json.dumps({"signature": paytm_checksum.generate(text, merchant_key)}, separators=(",", ":"))
    return f'{{"body":{text},"head":{head}}}'


def member_text(document: str, name: str) -> str | None:
    """The exact text of a top-level member's value, or None if ``document`` is not an object holding it.

    Walks the top-level object with the JSON decoder itself, so a ``"body":`` inside a string or a nested
    object cannot be mistaken for the member.
    """
    decoder = json.JSONDecoder()
    index = _skip_space(document, 0)
    if not document.startswith("{", index):
        return None
    index = _skip_space(document, index + 1)
    try:
        while index < len(document) and document[index] != "}":
            key, index = decoder.raw_decode(document, index)
            index = _skip_space(document, index)
            if not isinstance(key, str) or not document.startswith(":", index):
                return None
            start = _skip_space(document, index + 1)
            _, end = decoder.raw_decode(document, start)
            if key == name:
                return document[start:end]
            index = _skip_space(document, end)
            if document.startswith(",", index):
                index = _skip_space(document, index + 1)
    except ValueError:
        return None
    return None


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index
