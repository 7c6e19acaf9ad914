from __future__ import annotations

from datetime import datetime
from typing import Protocol

from s2cart.application.auth.principal import SessionRecord


class SessionLookup(Protocol):
    """The hot path: every authenticated request asks this once."""

    async def by_session_id(self, session_id: str) -> SessionRecord | None: ...

    async def by_token_digest(self, token_digest: str) -> SessionRecord | None: ...

    async def touch(self, session_id: str, now: datetime) -> None: ...


class AuthEpoch(Protocol):
    """A counter every worker shares, advanced after each commit that ends a session or changes what a
    Principal carries (tier, verification, activity). A cached session lookup is good only in the epoch it
    was read in, so a logout in one worker reaches every other worker's next request."""

    async def current(self) -> str | None:
        """The epoch now; None when it cannot be known (the shared store is unreachable or was emptied):
        read the database. An epoch is a token, not a count, so a store that restarts empty never brings back
        an epoch an old entry was read in."""
        ...

    async def advance(self) -> None: ...
