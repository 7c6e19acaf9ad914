"""Ports for time and for probing the services S2Cart stands on."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

CacheState = Literal["operational", "degraded"]


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware UTC now."""
        ...


class DatabaseProbe(Protocol):
    async def is_reachable(self) -> bool: ...


class CacheProbe(Protocol):
    async def state(self) -> CacheState: ...


ReplicaState = Literal["operational", "degraded"]


class ReplicaProbe(Protocol):
    async def state(self) -> ReplicaState:
        """operational: every read replica is up and within the lag limit; degraded: some reads that could go
        to a replica go to the primary instead."""
        ...
