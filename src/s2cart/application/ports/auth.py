from __future__ import annotations

from datetime import datetime
from typing import Protocol

from s2cart.application.auth.principal import SessionRecord


class SessionLookup(Protocol):
    """The hot path: every authenticated request asks this once."""

    async def by_session_id(self, session_id: str) -> SessionRecord | None: ...

    async def by_token_digest(self, token_digest: str) -> SessionRecord | None: ...

    async def touch(self, session_id: str, now: datetime) -> None: ...
