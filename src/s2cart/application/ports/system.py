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
