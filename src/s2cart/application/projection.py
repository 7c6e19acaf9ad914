"""One shape per concept: a view is filled from a domain object (or any object) by its field names.

The views in ``application/*/`` are what the API answers with (``entrypoints/http/wire.py`` writes their Decimal
and datetime fields as the contract does). Where a use case returns a domain object whose fields the view
shares, the view is read off it by name here instead of a hand-written mapper listing every field again.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

V = TypeVar("V")


def view_of(view_type: type[V], source: object) -> V:
    """``view_type`` built from the attributes of ``source`` that share its init fields' names."""
    names = [f.name for f in fields(view_type) if f.init]  # type: ignore[arg-type]
    values: dict[str, Any] = {name: getattr(source, name) for name in names}
    return view_type(**values)
