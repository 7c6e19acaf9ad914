"""INSERT ... ON CONFLICT DO UPDATE, spelled for the dialect in use (SQLite and PostgreSQL agree on it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def upsert(session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows``; a row whose primary key exists has its other columns overwritten."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    keys = [column.name for column in table.primary_key.columns]
    statement = insert.on_conflict_do_update(
        index_elements=keys,
        set_={name: insert.excluded[name] for name in rows[0] if name not in keys},
    )
    # Rows are written (and their rows locked) in primary-key order, the one lock order of decision 0023:
    # a catalog load cannot deadlock with checkouts taking the same products' stock.
    ordered = sorted(rows, key=lambda row: tuple(row[key] for key in keys))
    await session.execute(statement, ordered)
