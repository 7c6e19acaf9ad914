from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec


class HealthBody(msgspec.Struct):
    """The contract's health body: not enveloped, as the contract shows it."""

    status: Literal["healthy", "unhealthy"]
    timestamp: datetime
    version: str
    database: Literal["connected", "disconnected"]
    cache: Literal["operational", "degraded"]
    # Only when read replicas are configured (S2CART_DATABASE_READ_URL): "degraded" while reads that could go
    # to a replica go to the primary; the service stays healthy (decision 0042).
    replicas: Literal["operational", "degraded"] | msgspec.UnsetType = msgspec.UNSET


class ApiRoot(msgspec.Struct):
    name: str
    description: str
    version: str
    endpoints: dict[str, dict[str, str]]
