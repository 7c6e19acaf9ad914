"""Cache probes: Redis when configured, otherwise the in-process memory backend (always operational)."""

from __future__ import annotations

import logging

from redis.asyncio import Redis

from s2cart.application.ports.system import CacheState

logger = logging.getLogger(__name__)


class LocalCacheProbe:
    async def state(self) -> CacheState:
        return "operational"


class RedisCacheProbe:
    def __init__(self, client: Redis) -> None:
        self._client = client

    async def state(self) -> CacheState:
        try:
            await self._client.ping()
        except Exception as exc:
            logger.warning("redis probe failed: %s", type(exc).__name__)
            return "degraded"
        return "operational"
