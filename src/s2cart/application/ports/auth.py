from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


class SessionLookup(Protocol):
    """The hot path: every authenticated request asks this once."""

    async def by_session_id(self, session_id: str) -> SessionRecord | None: ...

    async def by_token_digest(self, token_digest: str) -> SessionRecord | None: ...

    async def touch(self, session_id: str, now: datetime) -> None: ...


@dataclass(frozen=True)
class EpochRead:
    """The AuthEpoch as read for one request (by the rate limiter's script, decision 0040): ``value`` None
    means unknown (a revocation is committing): nothing cached may be trusted."""

    value: str | None


# The limiter did not read the epoch (no shared store, or it failed): whoever needs it reads it itself.
EPOCH_UNREAD: EpochRead | None = None


class AuthEpoch(Protocol):
    """A token every worker shares, changed by each commit that ends a session or changes what a Principal
    carries (tier, verification, activity). A cached session lookup is good only in the epoch it was read in,
    so a revocation in one worker reaches every other worker's next request.

    Such a commit is fenced: ``begin_change`` before it, ``end_change`` after it. While a fence is open the
    epoch is unknown to everyone (nothing is cached or served from a cache), and a fence that is never ended
    expires by itself, so a store that fails after the commit cannot leave a cache trusting a revoked session.
    """

    async def current(self) -> str | None:
        """The epoch now; None when it cannot be known (the shared store is unreachable or was emptied, or a
        change is being committed): read the database. An epoch is a token, not a count, so a store that
        restarts empty never brings back an epoch an old entry was read in."""
        ...

    async def begin_change(self) -> str:
        """Open a fence and change the epoch before the commit; raises StorageUnavailable when the store does
        not answer in time, so the caller commits nothing (a revocation fails closed)."""
        ...

    async def end_change(self, fence: str) -> None:
        """Lift the fence and change the epoch again after the commit (or its failure); never raises."""
        ...


class SharedSessions(Protocol):
    """Live sessions any worker has read from the database, kept in the shared store under the AuthEpoch they
    were read in (decision 0045): a worker without its own copy asks here, reading the epoch in the same round
    trip, before it reads the database. An entry is found only in its own epoch, so every revocation (which
    changes the epoch) hides every entry at once, as it does each worker's own cache."""

    async def read(self, kind: str, key: str) -> tuple[str | None, SharedSession | None]:
        """The epoch now (None when unknown, as ``AuthEpoch.current``) and the entry kept for (kind, key) in
        that epoch, if any."""
        ...

    async def keep(self, kind: str, key: str, entry: SharedSession, epoch: str, ttl: timedelta) -> None:
        """Keep ``entry`` for ``ttl`` under ``epoch``, if the epoch is still that one; best effort, never raises."""
        ...

    async def aclose(self) -> None:
        """Close its connection to the store (at shutdown)."""
        ...


@dataclass(frozen=True)
class SharedSession:
    record: SessionRecord
    cached_at: datetime  # when it was read from the database: its age counts against every worker's TTL


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
