from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved at the edge from a JWT or a legacy token, the same shape for both."""

    user_id: int
    session_id: str
    scheme: str
    device_type: str
    tier: str
    is_verified: bool
