"""The AuthEpoch in Redis: one key every worker reads before trusting its session cache, and the fences that
keep every cache off while a change that ends sessions commits (decision 0022)."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time

from redis.asyncio import Redis

from s2cart.application.errors import StorageUnavailable

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0
# A request waits this long for the epoch (all of redis-py's retries included) before reading the database.
READ_BUDGET_SECONDS = 0.5
# A revocation waits this long to open or lift its fence; past it the revocation answers 503, nothing changed.
WRITE_BUDGET_SECONDS = 2.0
# A fence whose lifting was lost keeps every cache off this long; the commit it guards must land within it.
FENCE_SECONDS = 15.0
FENCED = "!"
EPOCH_KEY = "s2cart:auth-epoch"  # the rate limiter's script reads it too (adapters/ratelimit/redis.py)

# KEYS[1] the epoch, KEYS[2] the open fences (a sorted set scored by deadline in Redis' own milliseconds).
# ARGV: 'open' or 'lift', the fence id, a new random token, the fence's lease in ms.
# Every change writes a new epoch. While any fence is open the epoch reads as fenced ("!..."), and it expires
# with the last fence's deadline, so a fence nobody lifts ends by itself and its epoch is never seen again.
_FENCE_SCRIPT = (
    """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[1] == 'open' then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[2])
else
  redis.call('ZREM', KEYS[2], ARGV[2])
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if #last == 0 then
  redis.call('SET', KEYS[1], ARGV[3])
  return 0
end
local left = math.max(1, math.floor(tonumber(last[2]) - now))
redis.call('SET', KEYS[1], '"""
    + FENCED
    + """' .. ARGV[3], 'PX', left)
redis.call('PEXPIRE', KEYS[2], left)
return left
"""
)


class RedisAuthEpoch:
    """``current`` is one GET; a change is a fence opened before its commit and lifted after it (one script
    call each, both writing a new random epoch).

    - A cache entry is served only in the epoch it was read in, and nothing is cached while a fence is open:
      whatever a worker reads from the database during a commit is never trusted after it.
    - Opening the fence is the revocation's promise: if Redis does not take it, the revocation fails (503)
      before anything is committed. If lifting it fails after the commit, the fence stays until its deadline
      and every worker keeps reading the database until then.
    - While Redis fails, ``current`` answers None without asking it for ``RETRY_SECONDS``, so an outage costs
      a database read, not a timeout, a request."""

    def __init__(
        self,
        client: Redis,
        key: str = EPOCH_KEY,
        fence_seconds: float = FENCE_SECONDS,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self._client = client
        self._key = key
        self._fences = f"{key}:fences"
        self._fence_ms = int(fence_seconds * 1000)
        self._retry_seconds = retry_seconds
        self._script = client.register_script(_FENCE_SCRIPT)
        self._failed_at: float | None = None
        self._logged_at = 0.0

    async def current(self) -> str | None:
        now = time.monotonic()
        if self._failed_at is not None and now - self._failed_at < self._retry_seconds:
            return None
        try:
            async with asyncio.timeout(READ_BUDGET_SECONDS):
                value = await self._client.get(self._key)
                if value is None:
                    # First use, a fence that expired, or Redis restarted empty: start a new epoch.
                    await self._client.set(self._key, secrets.token_hex(8), nx=True)
                    value = await self._client.get(self._key)
        except Exception as exc:  # any failure of the store: fall back to the database
            self._failed(now, exc, "session cache epoch unreadable (%s); authenticating from the database")
            return None
        self._failed_at = None
        if value is None:
            return None
        epoch = value.decode() if isinstance(value, bytes) else str(value)
        return None if epoch.startswith(FENCED) else epoch

    async def begin_change(self) -> str:
        fence = secrets.token_hex(8)
        try:
            await self._run("open", fence)
        except Exception as exc:
            self._failed_at = time.monotonic()
            logger.warning("session cache fence not opened (%s): the revocation is refused", type(exc).__name__)
            raise StorageUnavailable() from exc
        return fence

    async def end_change(self, fence: str) -> None:
        try:
            await self._run("lift", fence)
        except Exception as exc:
            self._failed_at = time.monotonic()
            logger.warning(
                "session cache fence not lifted (%s): caches stay off until it expires (%.0f s)",
                type(exc).__name__,
                self._fence_ms / 1000,
            )

    async def _run(self, action: str, fence: str) -> None:
        async with asyncio.timeout(WRITE_BUDGET_SECONDS):
            await self._script(
                keys=[self._key, self._fences], args=[action, fence, secrets.token_hex(8), self._fence_ms]
            )

    def _failed(self, now: float, exc: Exception, message: str) -> None:
        self._failed_at = now
        if now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning(message, type(exc).__name__)
