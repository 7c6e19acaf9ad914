"""How the read commands answer: one JSON document with ``--json``, otherwise a table for people.

JSON: ``{"<items>": [...], "count": N}`` on stdout and nothing else there (logs go to stderr). Amounts are
strings holding the exact Decimal (``"1250.50"``), so a script never meets a float; times are UTC in whole
seconds (``2025-01-20T10:30:00Z``), as the API writes them; a missing value is ``null``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

WIDEST = 40  # a table cell longer than this is cut, with an ellipsis


def plain(value: Any) -> Any:
    """A value as the JSON document holds it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def as_dict(row: Any) -> dict[str, Any]:
    assert is_dataclass(row)
    return {f.name: plain(getattr(row, f.name)) for f in fields(row)}


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(plain(value))
    return text if len(text) <= WIDEST else text[: WIDEST - 1] + "…"


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    cells = [[_cell(row[name]) for name in columns] for row in rows]
    widths = [max([len(name)] + [len(line[i]) for line in cells]) for i, name in enumerate(columns)]
    lines = [[name.upper() for name in columns], *cells]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def emit(kind: str, rows: Sequence[Any], columns: Sequence[str], as_json: bool) -> int:
    """Print the rows (dataclasses) as one JSON document or as a table; returns the exit status."""
    items = [as_dict(row) for row in rows]
    if as_json:
        print(json.dumps({kind: items, "count": len(items)}, ensure_ascii=False))
    elif items:
        print(table(items, columns))
        print(f"({len(items)} {kind})")
    else:
        print(f"no {kind}")
    return 0
