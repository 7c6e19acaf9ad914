"""CheckHealth: the readiness report behind ``GET /health/``."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from s2cart.application.ports.system import CacheProbe, CacheState, Clock, DatabaseProbe, ReplicaProbe, ReplicaState


@dataclass(frozen=True)
class HealthReport:
    status: Literal["healthy", "unhealthy"]
    timestamp: datetime
    version: str
    database: Literal["connected", "disconnected"]
    cache: CacheState
    replicas: ReplicaState | None = None  # None: no read replicas configured


class CheckHealth:
    """Probe the database and the cache.

    - The service is healthy only when the database answers within the timeout.
    - A degraded cache (rate limits fell back to process memory) does not make the service unhealthy.
    - Nor do read replicas that are down or behind: their reads go to the primary (decision 0042).
    """

    def __init__(
        self,
        database: DatabaseProbe,
        cache: CacheProbe,
        clock: Clock,
        version: str,
        timeout_seconds: float = 2.0,
        replicas: ReplicaProbe | None = None,
    ) -> None:
        self._replicas = replicas
        self._database = database
        self._cache = cache
        self._clock = clock
        self._version = version
        self._timeout = timeout_seconds

    async def __call__(self) -> HealthReport:
        database_ok, cache_state, replicas = await asyncio.gather(
            self._probe_database(), self._probe_cache(), self._probe_replicas()
        )
        return HealthReport(
            status="healthy" if database_ok else "unhealthy",
            timestamp=self._clock.now(),
            version=self._version,
            database="connected" if database_ok else "disconnected",
            cache=cache_state,
            replicas=replicas,
        )

    async def _probe_database(self) -> bool:
        try:
            return await asyncio.wait_for(self._database.is_reachable(), self._timeout)
        except TimeoutError:
            return False

    async def _probe_replicas(self) -> ReplicaState | None:
        if self._replicas is None:
            return None
        try:
            return await asyncio.wait_for(self._replicas.state(), self._timeout)
        except TimeoutError:
            return "degraded"

    async def _probe_cache(self) -> CacheState:
        try:
            return await asyncio.wait_for(self._cache.state(), self._timeout)
        except TimeoutError:
            return "degraded"
