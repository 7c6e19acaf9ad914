"""The AuthEpoch in Redis: one key every worker reads before trusting its session cache."""

from __future__ import annotations

import logging
import secrets
import time

from redis.asyncio import Redis

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0


class RedisAuthEpoch:
    """``current`` is one GET; ``advance`` writes a new random token (a restarted, empty Redis can never
    hand back an epoch that an old cache entry was read in). While Redis fails, ``current`` answers None
    without asking it for ``RETRY_SECONDS``, so an outage costs a database read, not a timeout a request."""

    def __init__(self, client: Redis, key: str = "s2cart:auth-epoch") -> None:
        self._client = client
        self._key = key
        self._failed_at: float | None = None
        self._logged_at = 0.0

    async def current(self) -> str | None:
        now = time.monotonic()
        if self._failed_at is not None and now - self._failed_at < RETRY_SECONDS:
            return None
        try:
            value = await self._client.get(self._key)
            if value is None:
                # First use, or Redis restarted empty: start a new epoch (another worker may start it first).
                await self._client.set(self._key, secrets.token_hex(8), nx=True)
                value = await self._client.get(self._key)
                if value is None:
                    return None
        except Exception as exc:  # any failure of the store: fall back to the database
            self._failed(now, exc, "session cache epoch unreadable (%s); authenticating from the database")
            return None
        self._failed_at = None
        return value.decode() if isinstance(value, bytes) else str(value)

    async def advance(self) -> None:
        try:
            await self._client.set(self._key, secrets.token_hex(8))
        except Exception as exc:
            # Workers that can still read the old epoch keep their cached sessions until the cache's TTL.
            logger.error(
                "session cache epoch not advanced (%s): ended sessions may live up to the TTL", type(exc).__name__
            )
            self._failed_at = time.monotonic()

    def _failed(self, now: float, exc: Exception, message: str) -> None:
        self._failed_at = now
        if now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning(message, type(exc).__name__)
