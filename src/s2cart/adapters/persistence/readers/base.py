"""What every reader stands on: the engine's pool, one connection per read, AUTOCOMMIT on PostgreSQL.

Readers run outside units of work. Under READ COMMITTED each statement sees its own snapshot whether or not a
transaction wraps it, so a read of several statements loses nothing in AUTOCOMMIT and saves the BEGIN and the
ROLLBACK that would bracket it (decisions 0021 and 0031). SQLite keeps its transactions (see ``read_options``).

The hot readers (cart pages, session lookup, order pages) go one step further (decision 0041): a ``Query`` is a
Core statement compiled once for the engine's dialect; on PostgreSQL ``rows`` runs its text on the pooled psycopg
connection itself and hands back plain tuples, with no Core result machinery in between. SQLite runs the same
statement through Core (its types need the result processors: amounts and times are text there). Either way the
caller gets rows of the statement's columns, in order, and builds its views straight from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ClauseElement

from s2cart.adapters.persistence.engine import autocommit
from s2cart.adapters.persistence.types import UtcDateTime
from s2cart.application.errors import StorageRefusedValue, StorageUnavailable, TransactionConflict

Row = Sequence[Any]


def _utc(value: datetime | None) -> datetime | None:
    # psycopg hands timestamptz back in the session's time zone; the views carry UTC, as UtcDateTime does.
    return value if value is None or value.tzinfo is UTC else value.astimezone(UTC)


class Query:
    """One Core statement, compiled once for a dialect: its psycopg text and which columns need converting."""

    def __init__(self, statement: Executable, dialect_name: str, dialect: Any) -> None:
        self.statement = statement
        self.sql: str | None = None
        self.times: tuple[int, ...] = ()
        # The values the statement carries itself (a literal such as ``stock > 0`` is an anonymous parameter):
        # Core fills them in when it runs a statement; the raw driver is given them with the caller's.
        self.literals: dict[str, Any] = {}
        if dialect_name == "postgresql":
            compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
            self.sql = str(compiled)
            self.literals = {
                name: bind.effective_value for bind, name in compiled.bind_names.items() if not bind.required
            }
            columns = getattr(statement, "selected_columns", None) or getattr(statement, "_returning", ())
            self.times = tuple(
                n for n, column in enumerate(columns) if isinstance(getattr(column, "type", None), UtcDateTime)
            )

    def convert(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        if not self.times or not rows:
            return rows
        times = self.times
        out = []
        for row in rows:
            values = list(row)
            for n in times:
                values[n] = _utc(values[n])
            out.append(tuple(values))
        return out


class Reader:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = autocommit(engine)
        self._dialect = engine.dialect.name
        self._sa_dialect = engine.dialect

    def connect(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A pooled connection for one read; returned to the pool when the block ends."""
        return self._engine.connect()

    def query(self, statement: ClauseElement | Executable) -> Query:
        """``statement`` compiled for this reader's database, once: build these at construction time."""
        return Query(statement, self._dialect, self._sa_dialect)  # type: ignore[arg-type]

    async def rows(self, query: Query, params: Mapping[str, Any]) -> list[Row]:
        """The rows of one statement, on a connection of its own."""
        async with self.connect() as connection:
            return await self.rows_on(connection, query, params)

    @staticmethod
    async def rows_on(connection: AsyncConnection, query: Query, params: Mapping[str, Any]) -> list[Row]:
        """The rows of one statement on ``connection`` (several statements of one read share a connection)."""
        if query.sql is None:
            return list((await connection.execute(query.statement, dict(params))).all())  # type: ignore[arg-type]
        values = {**query.literals, **params} if query.literals else params
        return query.convert(await raw_execute(connection, query.sql, values))


async def raw_execute(connection: AsyncConnection, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` on the psycopg connection under ``connection``; the rows as tuples (none for a write without
    RETURNING). Driver failures become what the engine's error hook makes of them (``engine.py``).

    The engine's ``before_cursor_execute`` listeners are told of the statement as if Core had run it (with no
    execution context), so statement counters (bench/, tests) and fault injection see these statements too."""
    fairy = await connection.get_raw_connection()
    driver: psycopg.AsyncConnection[Any] = fairy.driver_connection  # type: ignore[assignment]
    sync = connection.sync_connection
    try:
        async with driver.cursor() as cursor:
            if sync is not None:
                sync.dispatch.before_cursor_execute(sync, cursor, sql, params, None, False)
            await cursor.execute(sql, params)  # type: ignore[arg-type]
            return await cursor.fetchall() if cursor.description is not None else []
    except psycopg.Error as exc:
        sqlstate = exc.sqlstate or ""
        if sqlstate in ("40001", "40P01"):
            raise TransactionConflict(sqlstate) from exc
        if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
            await connection.invalidate()
            raise StorageUnavailable() from exc
        if isinstance(exc, psycopg.DataError):
            raise StorageRefusedValue(sqlstate) from None  # its message quotes the refused value
        raise
