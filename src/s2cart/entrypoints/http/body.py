"""The request class: JSON bodies that msgspec cannot decode, or that carry NUL characters, are a 400.

Litestar turns msgspec's DecodeError into a 400 but lets RecursionError (a body nested thousands of levels
deep) and UnicodeDecodeError (invalid UTF-8 inside a string) through as 500s. NUL characters are refused
everywhere: PostgreSQL cannot store them in text, and no field of the contract has a use for them.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException

from s2cart.domain.shared.errors import ValidationFailed

NUL = "\x00"


def _nul_path(value: Any) -> str | None:
    """Where the first NUL character sits in a decoded JSON value (iterative: depth costs no stack)."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return path
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if NUL in str(key):
                    return child_path
                stack.append((child_path, child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in enumerate(item))
    return None


class S2CartRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        try:
            value = await super().json()
        except (RecursionError, UnicodeDecodeError) as exc:
            raise ClientException(detail="Malformed JSON: nested too deeply or not valid UTF-8") from exc
        where = _nul_path(value)
        if where is not None:
            raise ValidationFailed.on(where or "non_field_errors", "NUL characters are not allowed.")
        return value
