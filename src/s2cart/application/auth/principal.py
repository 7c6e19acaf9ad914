from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved at the edge from a JWT or a legacy token, the same shape for both."""

    user_id: int
    session_id: str
    scheme: str
    device_type: str
    tier: str
    is_verified: bool


@dataclass(frozen=True)
class SessionRecord:
    """What authentication reads on every request, in one indexed lookup."""

    session_id: str
    user_id: int
    scheme: str
    device_type: str
    last_activity: datetime
    expires_at: datetime
    revoked_at: datetime | None
    tier: str
    is_verified: bool
    is_active: bool
