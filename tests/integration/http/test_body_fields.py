"""Every missing or bad field of a body, named in msgspec's words, nested paths and renamed fields included."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.exceptions import ValidationException

from s2cart.entrypoints.http.body_fields import field_messages
from s2cart.entrypoints.http.errors import field_errors_of


class Inner(msgspec.Struct, kw_only=True):
    city: str
    pin: Annotated[int, msgspec.Meta(ge=1)]


class Outer(msgspec.Struct, kw_only=True, rename={"kind": "type"}):
    name: str
    kind: str
    inner: Inner
    note: str = ""


def test_every_missing_field_is_named_and_optional_ones_are_not() -> None:
    assert field_messages({}, Outer) == [
        "Object missing required field `name`",
        "Object missing required field `type`",
        "Object missing required field `inner`",
    ]


def test_nested_fields_are_named_with_their_path() -> None:
    body = {"name": 1, "type": "x", "inner": {"pin": 0}, "note": None}
    messages = field_messages(body, Outer)
    assert messages == [
        "Expected `str`, got `int` - at `$.name`",
        "Object missing required field `city` - at `$.inner`",
        "Expected `int` >= 1 - at `$.inner.pin`",
        "Expected `str`, got `null` - at `$.note`",
    ]
    errors = field_errors_of(ValidationException(extra=[{"message": m} for m in messages]))
    assert errors == {
        "name": ["Expected `str`, got `int`"],
        "inner.city": ["This field is required."],
        "inner.pin": ["Expected `int` >= 1"],
        "note": ["Expected `str`, got `null`"],
    }


def test_a_good_body_or_a_body_that_is_not_an_object_has_no_field_messages() -> None:
    assert field_messages({"name": "a", "type": "b", "inner": {"city": "c", "pin": 1}}, Outer) == []
    assert field_messages([1, 2], Outer) == []
    assert field_messages({"a": 1}, list[int]) == []
