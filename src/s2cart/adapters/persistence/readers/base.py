"""What every reader stands on: the engine's pool, one connection per read, AUTOCOMMIT on PostgreSQL.

Readers run outside units of work. Under READ COMMITTED each statement sees its own snapshot whether or not a
transaction wraps it, so a read of several statements loses nothing in AUTOCOMMIT and saves the BEGIN and the
ROLLBACK that would bracket it (decisions 0021 and 0031). SQLite keeps its transactions (see ``read_options``).

The hot readers (cart pages, session lookup, order pages) go one step further (decision 0041): a ``Query`` is a
Core statement compiled once for the engine's dialect; on PostgreSQL ``rows`` runs its text on the pooled psycopg
connection itself and hands back plain tuples, with no Core result machinery in between. SQLite runs the same
statement through Core (its types need the result processors: amounts and times are text there). Either way the
caller gets rows of the statement's columns, in order, and builds its views straight from them.

On PostgreSQL readers are given ``engine.Reads`` (decision 0044): the read engine, whose connections are in
AUTOCOMMIT from connect and are not pinged when taken from the pool, for Core statements; and the driver pool, plain
psycopg connections in autocommit, on which ``rows`` and ``reading`` run the compiled statements with no SQLAlchemy
checkout at all. Either way a read is one round trip. A connection the database dropped meanwhile fails with
``ConnectionLost``; every public coroutine method of a reader then runs once more, on a fresh connection (reads are
idempotent; the session lookup's one write, a conditional touch, is too). A second failure, or a database that
cannot be reached at all, is the StorageUnavailable (503) it always was.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, TypeVar

import psycopg
from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ClauseElement

from s2cart.adapters.persistence.driver_pool import DriverPool, has_rows, in_utc
from s2cart.adapters.persistence.engine import autocommit
from s2cart.adapters.persistence.errors import ConnectionLost
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


T = TypeVar("T")


def once_more_if_lost(method: Callable[..., Coroutine[Any, Any, T]]) -> Callable[..., Coroutine[Any, Any, T]]:
    """``method`` run once more when a pooled connection turns out to have been dropped (``ConnectionLost``)."""

    @functools.wraps(method)
    async def read(*args: Any, **kwargs: Any) -> T:
        try:
            return await method(*args, **kwargs)
        except ConnectionLost:
            pass  # the dead connection is discarded and the older ones are suspect: a fresh one is opened
        try:
            return await method(*args, **kwargs)
        except ConnectionLost as exc:
            raise StorageUnavailable() from exc  # not again (and not once more by a caller that is a read too)

    read.__once_more_if_lost__ = True  # type: ignore[attr-defined]
    return read


class Reader:
    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every public coroutine method a reader defines runs once more on a lost connection (see the module)."""
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if name.startswith("_") or not inspect.iscoroutinefunction(value):
                continue
            if not getattr(value, "__once_more_if_lost__", False):
                setattr(cls, name, once_more_if_lost(value))

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = autocommit(engine)
        self._dialect = engine.dialect.name
        self._sa_dialect = engine.dialect
        # The psycopg pool of the hot readers on PostgreSQL (``engine.Reads``); None on SQLite and on replicas.
        self._driver: DriverPool | None = getattr(engine, "driver_pool", None)

    def connect(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A pooled connection for one read; returned to the pool when the block ends."""
        return self._engine.connect()

    def reading(self) -> AbstractAsyncContextManager[Any]:
        """A connection for a read of several compiled statements (``rows_on``): the driver pool's where there is
        one, else the engine's."""
        return _Lease(self._driver) if self._driver is not None else self.connect()

    def query(self, statement: ClauseElement | Executable) -> Query:
        """``statement`` compiled for this reader's database, once: build these at construction time."""
        return Query(statement, self._dialect, self._sa_dialect)  # type: ignore[arg-type]

    async def rows(self, query: Query, params: Mapping[str, Any]) -> list[Row]:
        """The rows of one statement, on a connection of its own."""
        driver = self._driver
        if driver is not None and query.sql is not None:
            values = {**query.literals, **params} if query.literals else params
            connection = await driver.acquire()
            try:
                rows = await driver.execute(connection, query.sql, values)
                # The driver pool's connections start in UTC (engine.py's session settings): nothing to convert.
                return rows if in_utc(connection) else query.convert(rows)
            finally:
                driver.release(connection)
        async with self.connect() as connection:
            return await self.rows_on(connection, query, params)

    async def rows_on(self, connection: Any, query: Query, params: Mapping[str, Any]) -> list[Row]:
        """The rows of one statement on ``connection`` (several statements of one read share a connection, taken
        with ``reading``)."""
        if query.sql is None:
            return list((await connection.execute(query.statement, dict(params))).all())
        values = {**query.literals, **params} if query.literals else params
        if isinstance(connection, psycopg.AsyncConnection):
            assert self._driver is not None
            rows = await self._driver.execute(connection, query.sql, values)
            return rows if in_utc(connection) else query.convert(rows)
        return query.convert(await raw_execute(connection, query.sql, values))


class _Lease:
    """``async with``: a connection of the driver pool, given back when the block ends."""

    __slots__ = ("_connection", "_pool")

    def __init__(self, pool: DriverPool) -> None:
        self._pool = pool

    async def __aenter__(self) -> psycopg.AsyncConnection[Any]:
        self._connection = await self._pool.acquire()
        return self._connection

    async def __aexit__(self, *_: object) -> None:
        self._pool.release(self._connection)


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
            return await cursor.fetchall() if has_rows(cursor) else []
    except psycopg.Error as exc:
        sqlstate = exc.sqlstate or ""
        if sqlstate in ("40001", "40P01"):
            raise TransactionConflict(sqlstate) from exc
        if driver.closed or driver.broken:
            # Dropped by the server (as SQLAlchemy's psycopg dialect tells a disconnect): this connection goes, and
            # so do the pool's older ones when next taken out (what SQLAlchemy's own invalidation does).
            if sync is not None:
                sync.engine.pool._invalidate(fairy, exc, _checkin=False)
            await connection.invalidate()
            raise ConnectionLost() from exc
        if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
            await connection.invalidate()
            raise StorageUnavailable() from exc
        if isinstance(exc, psycopg.DataError):
            raise StorageRefusedValue(sqlstate) from None  # its message quotes the refused value
        raise
