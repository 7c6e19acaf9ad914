"""Read-your-writes marks: the WAL position of each user's last commit, and where it is kept (decision 0042).

After a unit of work commits for a known user (``read_scope``), ``ReadYourWrites.committed`` asks the primary
for ``pg_current_wal_lsn()``: the commit is flushed by then, so a replica whose ``pg_last_wal_replay_lsn()`` is at
or past that position shows it. The mark goes to Redis (shared by every worker and host) with a short TTL, only
ever raised; a replica serves that user again once it has replayed past the mark, and the primary serves them
until then. When the position cannot be read, the mark is ``ALWAYS_PRIMARY`` for the TTL: a bounded window.
Without Redis the marks live in the process (right for one worker; documented in docs/operations.md).
"""

from __future__ import annotations

import logging
import math
import time
from typing import Protocol

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.engine import autocommit
from s2cart.application.read_scope import UNKNOWN, ReadScope, current_read_scope

logger = logging.getLogger(__name__)

ALWAYS_PRIMARY = 2**64 - 1  # past any LSN: no replica qualifies
_PREFIX = "s2cart:ryw:"
# Raise-only SET with a TTL. LSNs travel as 16 hex digits, so string order is numeric order (Lua's numbers are
# doubles and would round an LSN past 2^53).
_RAISE = """
local current = redis.call('GET', KEYS[1])
if (not current) or current < ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return 1
"""


class MarkStore(Protocol):
    async def raise_to(self, user_id: int, lsn: int, ttl_seconds: int) -> None: ...

    async def get(self, user_id: int) -> int | None: ...


class RedisMarks:
    def __init__(self, client: Redis) -> None:
        self._client = client
        self._raise = client.register_script(_RAISE)

    async def raise_to(self, user_id: int, lsn: int, ttl_seconds: int) -> None:
        await self._raise(keys=[f"{_PREFIX}{user_id}"], args=[f"{lsn:016x}", ttl_seconds])

    async def get(self, user_id: int) -> int | None:
        value = await self._client.get(f"{_PREFIX}{user_id}")
        return None if value is None else int(value, 16)


class LocalMarks:
    """One process's marks: without Redis, read-your-writes holds within a worker, not across them."""

    def __init__(self, clock: object = time.monotonic) -> None:
        self._clock = clock
        self._marks: dict[int, tuple[int, float]] = {}

    async def raise_to(self, user_id: int, lsn: int, ttl_seconds: int) -> None:
        now = self._now()
        if len(self._marks) > 10_000:
            self._marks = {k: v for k, v in self._marks.items() if v[1] > now}
        current = await self.get(user_id)
        self._marks[user_id] = (max(lsn, current or 0), now + ttl_seconds)

    async def get(self, user_id: int) -> int | None:
        found = self._marks.get(user_id)
        if found is None or found[1] <= self._now():
            return None
        return found[0]

    def _now(self) -> float:
        return float(self._clock())  # type: ignore[operator]


class ReadYourWrites:
    def __init__(self, primary: AsyncEngine, store: MarkStore, ttl_seconds: float) -> None:
        self._primary = autocommit(primary)
        self._store = store
        self.ttl_seconds = max(1, math.ceil(ttl_seconds))

    async def committed(self) -> None:
        """After a commit: remember how far a replica must have replayed before it serves this user again."""
        scope = current_read_scope()
        if scope is None or scope.user_id is None:
            return
        try:
            lsn = await self.primary_lsn()
        except Exception as exc:  # the commit stands; the user's reads go to the primary for the window
            logger.warning("read-your-writes: no WAL position after a commit (%s)", type(exc).__name__)
            lsn = ALWAYS_PRIMARY
        scope.mark = lsn if scope.mark in (None, UNKNOWN) else max(lsn, scope.mark or 0)
        try:
            await self._store.raise_to(scope.user_id, lsn, self.ttl_seconds)
        except Exception as exc:  # reads then find no Redis either and go to the primary
            logger.warning("read-your-writes: mark not stored (%s)", type(exc).__name__)

    async def mark_of(self, scope: ReadScope) -> int | None:
        """The user's mark, looked up once a scope; raises when the store does not answer (then: the primary)."""
        if scope.user_id is None:
            return None
        if scope.mark == UNKNOWN:
            scope.mark = await self._store.get(scope.user_id)
        return scope.mark

    async def primary_lsn(self) -> int:
        async with self._primary.connect() as connection:
            value = (await connection.exec_driver_sql("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")).scalar_one()
        return int(value)
