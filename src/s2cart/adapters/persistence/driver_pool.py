"""The hot readers' pool on PostgreSQL: psycopg connections with no SQLAlchemy between them and the read
(decision 0044).

A cart page, a session check or an order page is one statement (or three on one connection) whose text ``Query``
compiled once; what SQLAlchemy added around it was the checkout (``AsyncConnection.start``, a greenlet switch into
the pool, the connection fairy) and the checkin, about 150 us of CPU a read, as much again as the statement's own
execute and fetch. Here a read takes a connection from a deque and gives it back.

The connections are opened in AUTOCOMMIT and never pinged. Connections are granted first come, first served, as
by the engine's fair pool (decision 0041): a returned connection goes straight to the oldest waiter. A statement
that finds its connection dropped by the server (``broken``: a restart, ``pg_terminate_backend``, an idle timeout)
discards it, marks every connection opened before then suspect (each is closed when next taken out, as SQLAlchemy's
pool invalidation does) and raises ``ConnectionLost``, on which the reader runs once more. A connection given back
in any state but idle (a request cancelled mid-statement) is closed rather than reused.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

import psycopg
from psycopg.pq import ExecStatus, TransactionStatus

from s2cart.adapters.persistence.errors import CONFLICT_SQLSTATES, ConnectionLost
from s2cart.application.errors import StorageRefusedValue, StorageUnavailable, TransactionConflict

logger = logging.getLogger(__name__)

Connection = psycopg.AsyncConnection[Any]
StatementHook = Callable[[Any, str, Mapping[str, Any]], None]


_WITH_ROWS = (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE, ExecStatus.TUPLES_CHUNK)


def has_rows(cursor: psycopg.AsyncCursor[Any]) -> bool:
    """Whether the statement answered a result set (``cursor.description is not None``, without building the
    list of ``Column`` objects that ``description`` makes on every call: 26 of them for a cart page)."""
    result = cursor.pgresult
    return result is not None and (bool(result.nfields) or result.status in _WITH_ROWS)


def in_utc(connection: psycopg.AsyncConnection[Any]) -> bool:
    """Whether the connection's session time zone is UTC: psycopg then hands every timestamptz back with
    ``datetime.UTC`` itself and a reader has nothing to convert (``readers/base.py``)."""
    return connection.pgconn.parameter_status(b"TimeZone") == b"UTC"


class DriverPool:
    def __init__(
        self,
        conninfo: str,
        size: int,
        *,
        connect_timeout: int = 5,
        wait_timeout: float = 30.0,
        on_statement: StatementHook | None = None,
        setup: tuple[str, ...] = (),
    ) -> None:
        self._conninfo = conninfo
        self._setup = setup  # statements run once on each new connection (session settings)
        self._size = size
        self._connect_timeout = connect_timeout
        self._wait_timeout = wait_timeout
        self._on_statement = on_statement
        self._idle: deque[Connection] = deque()
        self._waiters: deque[asyncio.Future[Connection | None]] = deque()
        self._born: dict[int, float] = {}  # id(connection) -> when it was opened
        self._open = 0
        self._suspect_before = 0.0  # connections opened before this are closed when next taken out
        self._closed = False

    @property
    def size(self) -> int:
        return self._size

    async def acquire(self) -> Connection:
        idle = self._idle
        while idle:
            connection = idle.popleft()
            if self._usable(connection):
                return connection
            self._discard(connection)
        if self._open >= self._size:
            waiter: asyncio.Future[Connection | None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                handed = await asyncio.wait_for(waiter, self._wait_timeout)
            except BaseException as exc:
                if waiter.done() and not waiter.cancelled():
                    self._hand_on(waiter.result())  # given one just as the wait ended: pass it on
                if isinstance(exc, TimeoutError):
                    raise StorageUnavailable() from exc
                raise
            if handed is not None:
                if self._usable(handed):
                    return handed
                self._discard(handed)
            # None: a place was freed for a connection of this waiter's own.
        return await self._connect()

    def release(self, connection: Connection) -> None:
        if self._closed or not self._usable(connection) or connection.info.transaction_status != TransactionStatus.IDLE:
            self._discard(connection)
            self._hand_on(None)
            return
        self._hand_on(connection)

    async def execute(self, connection: Connection, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows of ``sql`` (none for a statement without them), driver failures as the engine's error hook
        makes them (``engine.py``), a dropped connection as ``ConnectionLost``."""
        try:
            async with connection.cursor() as cursor:
                if self._on_statement is not None:
                    self._on_statement(cursor, sql, params)
                await cursor.execute(sql, params)  # type: ignore[arg-type]
                return await cursor.fetchall() if has_rows(cursor) else []
        except psycopg.Error as exc:
            self._raise_translated(connection, exc)

    async def execute_together(
        self, connection: Connection, statements: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> list[tuple[Any, ...]]:
        """The rows of the last of ``statements``, sent at once in pipeline mode: one round trip, and one transaction
        (with no BEGIN, the server runs a pipeline's statements up to its Sync as one implicit transaction, committed
        at the Sync; the first error rolls it back and the statements after it are skipped). Failures as ``execute``.
        Each statement still takes its own snapshot when it starts (READ COMMITTED), after the previous one ended."""
        cursors: list[psycopg.AsyncCursor[Any]] = []
        try:
            async with connection.pipeline():
                for sql, params in statements:
                    cursor = connection.cursor()
                    cursors.append(cursor)
                    if self._on_statement is not None:
                        self._on_statement(cursor, sql, params)
                    await cursor.execute(sql, params)  # type: ignore[arg-type]
            last = cursors[-1]
            return await last.fetchall() if has_rows(last) else []
        except psycopg.Error as exc:
            self._raise_translated(connection, exc)
        finally:
            for cursor in cursors:
                await cursor.close()

    async def close(self) -> None:
        self._closed = True
        while self._idle:
            self._discard(self._idle.popleft())
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.cancel()

    # What the pool does for itself.
    async def _connect(self) -> Connection:
        self._open += 1
        connection: Connection | None = None
        try:
            connection = await psycopg.AsyncConnection.connect(
                self._conninfo, autocommit=True, connect_timeout=self._connect_timeout
            )
            for statement in self._setup:
                await connection.execute(statement)  # type: ignore[arg-type]
        except BaseException as exc:
            self._open -= 1
            if connection is not None:
                await connection.close()
            self._hand_on(None)  # a waiter behind may try for itself
            if isinstance(exc, psycopg.Error):
                raise StorageUnavailable() from exc
            raise
        self._born[id(connection)] = time.monotonic()
        return connection

    def _usable(self, connection: Connection) -> bool:
        return not (connection.closed or connection.broken) and self._born.get(id(connection), 0.0) >= (
            self._suspect_before
        )

    def _hand_on(self, connection: Connection | None) -> None:
        """A returned connection (or, with None, room for a new one) to the oldest live waiter, else to the idle."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        if connection is not None:
            self._idle.append(connection)

    def _discard(self, connection: Connection) -> None:
        if self._born.pop(id(connection), None) is not None:
            self._open -= 1
        try:
            connection.pgconn.finish()  # closes the socket now; nothing to wait for on a connection being dropped
        except Exception:  # already gone
            logger.debug("closing a discarded read connection failed", exc_info=True)

    def _raise_translated(self, connection: Connection, exc: psycopg.Error) -> NoReturn:
        error = self._translated(connection, exc)
        if isinstance(error, StorageRefusedValue):
            raise error from None  # the driver's message quotes the refused value: it stays behind
        raise error from exc

    def _translated(self, connection: Connection, exc: psycopg.Error) -> BaseException:
        sqlstate = exc.sqlstate or ""
        if sqlstate in CONFLICT_SQLSTATES:
            return TransactionConflict(sqlstate)
        if connection.closed or connection.broken:
            self._suspect_before = time.monotonic()  # and the ones opened before it went, too
            return ConnectionLost()
        if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
            if id(connection) in self._born:
                self._born[id(connection)] = -1.0  # this one is not given out again
            return StorageUnavailable()
        if isinstance(exc, psycopg.DataError):
            return StorageRefusedValue(sqlstate)
        return exc
