"""Engine construction: one place that knows SQLite and PostgreSQL differ."""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import DataError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine

from s2cart.adapters.persistence.auth_changes import S2CartOrmSession
from s2cart.adapters.persistence.driver_pool import DriverPool
from s2cart.adapters.persistence.errors import ConnectionLost, conflict_sqlstate, is_unavailable
from s2cart.adapters.persistence.fair_pool import FairAsyncQueuePool
from s2cart.adapters.persistence.mappers import start_mappers
from s2cart.adapters.persistence.session_factory import AsyncSessionFactory
from s2cart.application.errors import StorageRefusedValue, StorageUnavailable, TransactionConflict


def make_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    pre_ping: bool = True,
    echo: bool = False,
    connect_timeout: int = 5,
) -> AsyncEngine:
    return _engine(url, pool_size, max_overflow, pre_ping, echo, connect_timeout, {})


def make_read_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 0,
    echo: bool = False,
    connect_timeout: int = 5,
    statements_seen_by: AsyncEngine | None = None,
) -> AsyncEngine:
    """The readers' engine on PostgreSQL (decision 0044): its own pool of connections that are in AUTOCOMMIT from
    the moment they connect, so a checkout switches no isolation level and a checkin resets nothing, and that are
    not pinged when taken from the pool. A connection the database dropped fails its statement with
    ``ConnectionLost`` instead, and the pool then treats every older connection as suspect (SQLAlchemy's
    invalidation); ``Reader`` runs the read once more on a fresh connection.

    ``statements_seen_by``: the engine whose ``before_cursor_execute`` listeners are told of this engine's
    statements too, so one statement counter (tests, bench/) sees reads and writes alike. SQLite has no read
    engine: its readers share the one engine (see ``read_options``)."""
    engine = _engine(
        url,
        pool_size,
        max_overflow,
        False,
        echo,
        connect_timeout,
        {"isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None},
    )
    _AUTOCOMMIT_DIALECTS.add(engine.sync_engine.dialect)
    if statements_seen_by is not None:
        seen_by = statements_seen_by.sync_engine

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def _tell(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
            seen_by.dispatch.before_cursor_execute(conn, cursor, statement, parameters, context, many)

    return engine


def _engine(
    url: str,
    pool_size: int,
    max_overflow: int,
    pre_ping: bool,
    echo: bool,
    connect_timeout: int,
    extra: dict[str, Any],
) -> AsyncEngine:
    parsed = make_url(url)
    # hide_parameters: a failing statement's message (and so any traceback logged) names no bound value.
    kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": pre_ping, "hide_parameters": True, **extra}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs["connect_args"] = {"connect_timeout": connect_timeout}
        kwargs["pool_size"] = pool_size
        kwargs["max_overflow"] = max_overflow
        # Connections are granted in arrival order: the stock pool lets newcomers overtake waiters (decision 0041).
        kwargs["poolclass"] = FairAsyncQueuePool
    engine = create_async_engine(parsed, **kwargs)
    _translate_unavailability(engine)
    if parsed.get_backend_name() == "sqlite":
        _tune_sqlite(engine)
    else:
        _tune_postgresql(engine)
    return engine


class Reads:
    """What the readers are given on PostgreSQL (decision 0044): the read engine, for the readers' Core statements,
    and ``driver_pool``, the psycopg pool the hot readers' compiled statements run on. It has the engine's face
    (``dialect``, ``sync_engine``, ``execution_options``, ``connect``, ``begin``), as the replica router does."""

    def __init__(self, engine: AsyncEngine, driver: DriverPool) -> None:
        self.engine = engine
        self.driver_pool = driver

    @property
    def dialect(self) -> Any:
        return self.engine.dialect

    @property
    def sync_engine(self) -> Any:
        return self.engine.sync_engine

    def execution_options(self, **options: Any) -> AsyncEngine:
        return self.engine.execution_options(**options)

    def connect(self) -> AsyncConnection:
        return self.engine.connect()

    def begin(self) -> Any:
        return self.engine.begin()

    async def dispose(self) -> None:
        await self.driver_pool.close()
        await self.engine.dispose()


def make_reads(url: str, *, pool_size: int = 10, statements_seen_by: AsyncEngine | None = None) -> Reads:
    """The read engine and the driver pool for PostgreSQL's readers, each of up to ``pool_size`` connections, opened
    when first needed. The driver pool's statements are told to ``statements_seen_by``'s ``before_cursor_execute``
    listeners too, as the read engine's are."""
    engine = make_read_engine(url, pool_size=pool_size, statements_seen_by=statements_seen_by)
    hook = None
    if statements_seen_by is not None:
        seen_by = statements_seen_by.sync_engine

        def hook(cursor: Any, sql: str, params: Any) -> None:
            if seen_by.dispatch.before_cursor_execute:
                seen_by.dispatch.before_cursor_execute(None, cursor, sql, params, None, False)

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    # The same session settings as the engines' connections (``_tune_postgresql``): search runs on this pool too.
    return Reads(engine, DriverPool(conninfo, pool_size, on_statement=hook, setup=SESSION_SETTINGS))


# The dialects of engines whose connections are in AUTOCOMMIT from connect (make_read_engine): read_options adds
# nothing for them. Weak: an engine that is gone takes its entry with it.
_AUTOCOMMIT_DIALECTS: weakref.WeakSet[Any] = weakref.WeakSet()


# Product search's typo tolerance (decision 0032): pg_trgm's default word similarity of 0.6 misses a dropped
# letter in a short word ("basmti" is 0.57 of "Basmati Rice"); 0.5 still keeps unrelated words out.
WORD_SIMILARITY_THRESHOLD = 0.5

# Every PostgreSQL connection, the engines' and the driver pool's, starts with these (committed, so they last):
# - the trigram threshold above, a placeholder until pg_trgm loads in the session, which then takes it;
# - UTC as the session's time zone, so psycopg hands timestamptz back with ``datetime.UTC`` itself and the readers'
#   conversion to UTC (``readers/base.py`` ``_utc``, ``types.UtcDateTime``) has nothing to do: a server whose
#   TimeZone is 'Etc/UTC' or 'Asia/Kolkata' made it ``astimezone`` every time read (3% of a worker under
#   ``GET /carts/`` load). No statement depends on the session's time zone: times are timestamptz, compared as
#   instants, and calendar days (the invoices' financial year) are worked out in Python.
SESSION_SETTINGS = (
    f"SET pg_trgm.word_similarity_threshold = {WORD_SIMILARITY_THRESHOLD}",
    "SET TIME ZONE 'UTC'",
)


def _tune_postgresql(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for statement in SESSION_SETTINGS:
            cursor.execute(statement)
        cursor.close()
        dbapi_connection.commit()


def _translate_unavailability(engine: AsyncEngine) -> None:
    """A value the database refuses (a data exception) is StorageRefusedValue, a 400; a database that cannot be
    reached is StorageUnavailable wherever the engine is used: in units of work
    and equally in the readers and the session lookup, which open connections of their own. Pre-ping failures
    are left alone: the pool answers them by reconnecting. A deadlock or serialization failure is a
    TransactionConflict (still a StorageUnavailable), which the conflict retry may run again (decision 0023)."""

    @event.listens_for(engine.sync_engine, "handle_error")
    def _on_error(context: ExceptionContext) -> BaseException | None:
        if context.is_pre_ping or context.sqlalchemy_exception is None:
            return None
        sqlstate = conflict_sqlstate(context.sqlalchemy_exception)
        if sqlstate is not None:
            return TransactionConflict(sqlstate)
        if context.is_disconnect and context.connection is not None:
            # An established connection the database dropped (SQLAlchemy invalidates it and the pool's older
            # ones as this returns): a read may run again on a fresh connection (Reader, decision 0044).
            return ConnectionLost()
        if is_unavailable(context.sqlalchemy_exception) or context.is_disconnect:
            return StorageUnavailable()
        if isinstance(context.sqlalchemy_exception, DataError):
            # PostgreSQL's message quotes the refused value: only its SQLSTATE travels on.
            return StorageRefusedValue(str(getattr(context.original_exception, "sqlstate", "") or ""))
        return None


def _tune_sqlite(engine: AsyncEngine) -> None:
    """SQLite is the embedded development database: every transaction takes the write lock up front
    (BEGIN IMMEDIATE), so a read-then-write transaction waits its turn instead of failing with
    SQLITE_BUSY when another writer got there first."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the "begin" hook below issue BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def read_options(engine: AsyncEngine | Any) -> dict[str, Any]:
    """Execution options for a read of one statement: on PostgreSQL, AUTOCOMMIT, which spares the BEGIN before
    it and the ROLLBACK when the connection goes back to the pool (one round trip instead of three), and keeps
    psycopg's prepared statements, which a ROLLBACK discards. A single statement reads one snapshot anyway.
    SQLite keeps its transactions: its BEGIN IMMEDIATE hook would run even in autocommit mode. Nothing for an
    engine already in AUTOCOMMIT from connect (``make_read_engine``): the option would switch it on every checkout
    and back on every checkin."""
    if engine.dialect.name != "postgresql" or engine.dialect in _AUTOCOMMIT_DIALECTS:
        return {}
    return {"isolation_level": "AUTOCOMMIT"}


def autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, with ``read_options``: for single-statement reads and single-statement writes."""
    options = read_options(engine)
    return engine.execution_options(**options) if options else engine


def make_session_factory(engine: AsyncEngine) -> AsyncSessionFactory:
    # Mapped before any use case runs: an Order or a Payment built before the mapping could not be saved.
    start_mappers()
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False, sync_session_class=S2CartOrmSession)
