"""Read replicas: where a lag-tolerant reader gets its connection (decision 0042).

``ReplicaRouter`` stands where those readers were given the engine: it has the engine's ``dialect``,
``execution_options`` and ``connect``, so a reader's SQL does not change. Each ``connect`` picks, at that
moment, a replica that is up, no further behind than ``max_lag`` seconds and (for a user with a recent write)
past the user's last commit; otherwise the primary. A background task per process checks every replica every
``check_every`` seconds (one query on the primary for its WAL position, then one on each replica) and the
choice reads that cache, so routing costs no round trip of its own. ``on_primary_if_replica_fails`` runs a
reader's call again on the primary when a replica fails under it, so a replica that dies loses no request.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import logging
import math
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from s2cart.adapters.persistence.errors import ConnectionLost
from s2cart.adapters.persistence.read_marks import ReadYourWrites
from s2cart.application.errors import StorageUnavailable
from s2cart.application.read_scope import current_read_scope

logger = logging.getLogger(__name__)

# Replay position, seconds since the last replayed commit, and whether this server is a standby at all.
_REPLICA_STATE = (
    "SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn, "
    "EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), pg_is_in_recovery()"
)


@dataclass
class Replica:
    name: str  # host:port/database, never the password
    engine: AsyncEngine
    up: bool = False
    replay_lsn: int = 0
    lag: float = math.inf
    checked_at: float = -math.inf
    problem: str = "not checked yet"


@dataclass
class _Attempt:
    replica: Replica | None = None


_on_primary: ContextVar[bool] = ContextVar("s2cart_reads_on_primary", default=False)
_attempt: ContextVar[_Attempt | None] = ContextVar("s2cart_read_attempt", default=None)


@dataclass
class RouterStats:
    """Per process: where reads went (tests and the bench read these)."""

    primary: int = 0
    replica: int = 0
    kept_for_writer: int = 0  # a usable replica skipped because it had not replayed the user's last commit
    replica_failed: int = 0
    by_replica: dict[str, int] = field(default_factory=dict)


class ReplicaRouter:
    def __init__(
        self,
        primary: AsyncEngine,
        replicas: list[tuple[str, AsyncEngine]],
        marks: ReadYourWrites,
        *,
        max_lag: float,
        check_every: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary = primary
        self.replicas = [Replica(name, engine) for name, engine in replicas]
        self.marks = marks
        self.max_lag = max_lag
        self.check_every = check_every
        self.stats = RouterStats()
        self._clock = clock
        self._turn = itertools.count()
        self._monitor: asyncio.Task[None] | None = None
        self._closed = False

    # The engine's face, for the readers.
    @property
    def dialect(self) -> Any:
        return self.primary.dialect

    def execution_options(self, **options: Any) -> RoutedEngine:
        return RoutedEngine(self, options)

    def connect(self) -> RoutedConnection:
        return RoutedEngine(self, {}).connect()

    # Routing.
    def usable(self, replica: Replica) -> bool:
        fresh = self._clock() - replica.checked_at <= max(3 * self.check_every, 1.0)
        return replica.up and fresh and replica.lag <= self.max_lag

    async def choose(self) -> Replica | None:
        """The replica this read goes to, or None for the primary."""
        self._start_monitor()
        if _on_primary.get():
            return None
        candidates = [r for r in self.replicas if self.usable(r)]
        scope = current_read_scope()
        if candidates and scope is not None and scope.user_id is not None:
            try:
                mark = await self.marks.mark_of(scope)
            except Exception as exc:  # no Redis, no knowledge of the user's writes: the primary is safe
                logger.warning("read-your-writes: mark lookup failed (%s)", type(exc).__name__)
                return None
            if mark is not None:
                caught_up = [r for r in candidates if r.replay_lsn >= mark]
                if len(caught_up) < len(candidates):
                    self.stats.kept_for_writer += 1
                candidates = caught_up
        if not candidates:
            return None
        return candidates[next(self._turn) % len(candidates)]

    async def committed(self) -> None:
        """The unit of work's hook after a commit: the user's read-your-writes mark."""
        await self.marks.committed()

    def failed(self, replica: Replica, exc: BaseException) -> None:
        """A replica refused a connection or broke under a read: skip it until a check finds it up again."""
        if replica.up:
            logger.warning("read replica %s failed (%s): reads go elsewhere", replica.name, type(exc).__name__)
        replica.up = False
        replica.problem = f"failed: {type(exc).__name__}"
        self.stats.replica_failed += 1

    # Health.
    async def state(self) -> Literal["operational", "degraded"]:
        if all(r.checked_at == -math.inf for r in self.replicas):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.check(), 2.0)
        self._start_monitor()
        return "operational" if all(self.usable(r) for r in self.replicas) else "degraded"

    # Checks.
    async def check(self) -> None:
        try:
            primary_lsn: int | None = await self.marks.primary_lsn()
        except Exception:
            primary_lsn = None  # the primary is away: the replicas' own lag still says how stale they are
        await asyncio.gather(*(self._check_one(replica, primary_lsn) for replica in self.replicas))

    async def _check_one(self, replica: Replica, primary_lsn: int | None) -> None:
        try:
            async with replica.engine.connect() as connection:
                row = (await asyncio.wait_for(connection.exec_driver_sql(_REPLICA_STATE), 2.0)).one()
        except Exception as exc:
            if replica.up:
                logger.warning("read replica %s is down (%s)", replica.name, type(exc).__name__)
            replica.up, replica.problem, replica.checked_at = False, f"down: {type(exc).__name__}", self._clock()
            return
        replay, since_commit, in_recovery = row
        if not in_recovery:
            replica.up, replica.problem = False, "not a standby (pg_is_in_recovery() is false)"
            replica.checked_at = self._clock()
            return
        replica.replay_lsn = int(replay or 0)
        if primary_lsn is not None and replica.replay_lsn >= primary_lsn:
            replica.lag = 0.0  # replayed everything the primary had written when this check began
        else:
            replica.lag = math.inf if since_commit is None else max(0.0, float(since_commit))
        if not replica.up:
            logger.info("read replica %s is up (lag %.3f s)", replica.name, replica.lag)
        replica.up, replica.problem, replica.checked_at = True, "", self._clock()

    def _start_monitor(self) -> None:
        if self._closed:
            return
        if self._monitor is None or self._monitor.done():
            self._monitor = asyncio.get_running_loop().create_task(self._watch(), name="s2cart-replica-monitor")

    async def _watch(self) -> None:
        while True:
            try:
                await self.check()
            except Exception:  # never let the monitor die; the next round tries again
                logger.exception("replica check failed")
            await asyncio.sleep(self.check_every)

    async def dispose(self) -> None:
        """At shutdown: stop checking and close the replicas' pools (the primary's is closed as its own)."""
        self._closed = True
        monitor, self._monitor = self._monitor, None
        if monitor is not None:
            monitor.cancel()
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await monitor
        for replica in self.replicas:
            await replica.engine.dispose()


class RoutedEngine:
    """The router with execution options, as ``engine.execution_options(...)`` is the engine with them."""

    def __init__(self, router: ReplicaRouter, options: dict[str, Any]) -> None:
        self._router = router
        self._options = options
        self._engines: dict[int, AsyncEngine] = {}

    @property
    def dialect(self) -> Any:
        return self._router.dialect

    def execution_options(self, **options: Any) -> RoutedEngine:
        return RoutedEngine(self._router, {**self._options, **options})

    def connect(self) -> RoutedConnection:
        return RoutedConnection(self._router, self._with_options)

    def _with_options(self, engine: AsyncEngine) -> AsyncEngine:
        if not self._options:
            return engine
        found = self._engines.get(id(engine))
        if found is None:
            found = self._engines[id(engine)] = engine.execution_options(**self._options)
        return found


class RoutedConnection:
    """``async with routed.connect() as connection``: a replica's connection, or the primary's."""

    def __init__(self, router: ReplicaRouter, options: Callable[[AsyncEngine], AsyncEngine]) -> None:
        self._router = router
        self._options = options
        self._context: Any = None
        self._replica: Replica | None = None

    async def __aenter__(self) -> AsyncConnection:
        router = self._router
        replica = await router.choose()
        if replica is not None:
            context = self._options(replica.engine).connect()
            try:
                connection = await context.__aenter__()
            except Exception as exc:
                router.failed(replica, exc)
            else:
                self._context, self._replica = context, replica
                router.stats.replica += 1
                router.stats.by_replica[replica.name] = router.stats.by_replica.get(replica.name, 0) + 1
                attempt = _attempt.get()
                if attempt is not None:
                    attempt.replica = replica
                return connection
        router.stats.primary += 1
        self._context = self._options(router.primary).connect()
        return await self._context.__aenter__()  # type: ignore[no-any-return]

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        if self._replica is not None and isinstance(exc, StorageUnavailable) and not isinstance(exc, ConnectionLost):
            # A lost connection is not a replica that failed: the reader runs again on a fresh connection, and a
            # replica that is really down then fails to connect (decision 0044).
            self._router.failed(self._replica, exc)
        return await self._context.__aexit__(exc_type, exc, tb)  # type: ignore[no-any-return]


class _OnPrimaryIfReplicaFails:
    def __init__(self, reader: Any) -> None:
        self._reader = reader

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._reader, name)
        if not inspect.iscoroutinefunction(found):
            return found

        async def call(*args: Any, **kwargs: Any) -> Any:
            attempt = _Attempt()
            token = _attempt.set(attempt)
            try:
                return await found(*args, **kwargs)
            except StorageUnavailable:
                if attempt.replica is None:
                    raise  # the primary failed: that is the service's own 503
            finally:
                _attempt.reset(token)
            primary = _on_primary.set(True)  # the replica broke under the read: the same read, on the primary
            try:
                return await found(*args, **kwargs)
            finally:
                _on_primary.reset(primary)

        return call


def on_primary_if_replica_fails(reader: Any) -> Any:
    """The reader, whose calls run again on the primary when a replica fails under them (reads only)."""
    return _OnPrimaryIfReplicaFails(reader)
