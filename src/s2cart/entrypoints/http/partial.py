"""PATCH bodies derived from the POST body: the same fields and limits, each one optional (left out = UNSET)."""

from __future__ import annotations

from typing import Any

import msgspec


def partial_of(struct: type[msgspec.Struct], name: str) -> type[msgspec.Struct]:
    """A struct named ``name`` with ``struct``'s fields, types and limits, every one defaulting to UNSET."""
    fields = [(f.name, f.type | msgspec.UnsetType, msgspec.UNSET) for f in msgspec.structs.fields(struct)]
    return msgspec.defstruct(name, fields, kw_only=True, module=struct.__module__)


def sent(body: Any) -> dict[str, object]:
    """The fields the client sent, by name."""
    return {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
