"""Every missing or bad field of a JSON body, not only the first.

msgspec stops at the first error it meets, so a body missing ``username``, ``email`` and ``password`` was
answered naming ``username`` alone, and a form showed one error at a time. The apps were built against DRF,
which names every field. Here each field of the handler's struct is checked on its own, with the same strict
rules and constraints msgspec applies to the whole body, and every message is kept in msgspec's own wording
("Object missing required field `email`", "Expected `int`, got `str` - at `$.cart_id`"), which
``errors.field_errors_of`` turns into the contract's ``{field: [messages]}``.

Fields that are structs themselves are checked the same way, one level further down. What this cannot see
(unknown fields on a struct that forbids them, a body that is not an object) is left to the full conversion
that follows, which still runs when every field passed.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import msgspec

_AT = re.compile(r" - at `\$([^`]*)`$")


def _with_prefix(message: str, prefix: str) -> str:
    """Re-root msgspec's `` - at `$...` `` path (absent for a top-level value) under ``prefix``."""
    at = _AT.search(message)
    if at is None:
        return f"{message} - at `${prefix}`"
    return f"{message[: at.start()]} - at `${prefix}{at.group(1)}`"


@cache
def _struct_fields(struct_type: type[msgspec.Struct]) -> tuple[msgspec.structs.FieldInfo, ...]:
    return msgspec.structs.fields(struct_type)


def _is_struct(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, msgspec.Struct)


def field_messages(value: Any, body_type: Any, prefix: str = "") -> list[str]:
    """msgspec-worded messages for every missing or invalid field of ``value`` read as ``body_type``.

    Empty when ``body_type`` is not a struct or ``value`` is not an object: the full conversion judges those.
    """
    if not _is_struct(body_type) or not isinstance(value, dict):
        return []
    messages: list[str] = []
    for field in _struct_fields(body_type):
        name = field.encode_name
        if name not in value:
            if field.required:
                where = f" - at `${prefix}`" if prefix else ""
                messages.append(f"Object missing required field `{name}`{where}")
            continue
        child = value[name]
        if _is_struct(field.type) and isinstance(child, dict):
            messages.extend(field_messages(child, field.type, f"{prefix}.{name}"))
            continue
        try:
            msgspec.convert(child, field.type, strict=True, str_keys=True)
        except msgspec.ValidationError as exc:
            messages.append(_with_prefix(str(exc), f"{prefix}.{name}"))
    return messages
