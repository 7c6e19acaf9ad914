"""CachedSessionLookup: the session-alive check without a database round trip while nothing has changed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from s2cart.application.ports.auth import (
    EPOCH_UNREAD,
    AuthEpoch,
    EpochRead,
    SessionLookup,
    SessionRecord,
    SharedSession,
    SharedSessions,
)
from s2cart.application.ports.system import Clock


@dataclass(frozen=True)
class _Entry:
    record: SessionRecord
    epoch: str
    cached_at: datetime


class CachedSessionLookup:
    """A per-process cache in front of a SessionLookup, safe across processes through the AuthEpoch.

    - The epoch is read before the database, and an entry is served only in the epoch it was read in: any
      commit that ends a session or changes a principal advances the epoch, so every worker's next request
      goes back to the database. No epoch (the shared store is down, or a revocation is committing
      somewhere): every request reads the database, nothing it reads is kept, and everything kept is dropped.
    - Only live sessions are kept (not revoked, user active), for at most ``ttl``, and never past their
      expiry: a cached answer can only say "alive"; anything else comes from the database.
    - ``touch`` passes through and moves the cached ``last_activity``, so the once-a-minute write stays
      once a minute.
    - At most ``max_entries`` sessions a process; the oldest entry goes first.
    - ``shared`` (decision 0045): what this process does not hold is asked of the shared store, which keeps what
      any worker read, under the epoch it was read in; the same round trip reads the epoch (when the request
      has not read it yet), so a session another worker already checked costs no database read. What this
      process reads from the database it also keeps there. The same rules hold: only live sessions, their
      age counted from the database read, served only in their epoch.
    """

    def __init__(
        self,
        inner: SessionLookup,
        epoch: AuthEpoch,
        clock: Clock,
        ttl: timedelta,
        max_entries: int = 10_000,
        shared: SharedSessions | None = None,
    ) -> None:
        self._inner = inner
        self._shared = shared
        self._epoch = epoch
        self._clock = clock
        self._ttl = ttl
        self._max_entries = max_entries
        self._entries: dict[tuple[str, str], _Entry] = {}
        self._key_of_session: dict[str, tuple[str, str]] = {}

    async def by_session_id(self, session_id: str, epoch: EpochRead | None = EPOCH_UNREAD) -> SessionRecord | None:
        """``epoch``: the AuthEpoch as the rate limiter's script read it for this request (decision 0040);
        unread, it is read here."""
        return await self._cached(("session", session_id), lambda: self._inner.by_session_id(session_id), epoch)

    async def by_token_digest(self, token_digest: str, epoch: EpochRead | None = EPOCH_UNREAD) -> SessionRecord | None:
        return await self._cached(("token", token_digest), lambda: self._inner.by_token_digest(token_digest), epoch)

    async def aclose(self) -> None:
        """At shutdown: close the shared store's connection, if there is one."""
        if self._shared is not None:
            await self._shared.aclose()

    def peek(self, kind: str, value: str) -> tuple[SessionRecord, str] | None:
        """What this process kept for a session ("session", id) or a legacy token ("token", digest), with the
        epoch it was read in, if it is within its TTL and expiry; no I/O, and not yet vouched for by the epoch."""
        entry = self._entries.get((kind, value))
        if entry is None or not self._fresh(entry, entry.epoch, self._clock.now()):
            return None
        return entry.record, entry.epoch

    async def touch(self, session_id: str, now: datetime) -> None:
        await self._inner.touch(session_id, now)
        key = self._key_of_session.get(session_id)
        entry = self._entries.get(key) if key is not None else None
        if key is not None and entry is not None:
            entry = self._entries[key] = replace(entry, record=replace(entry.record, last_activity=now))
            if self._shared is not None:  # so other workers do not touch it again within the minute
                await self._share(key, entry, now)

    async def _cached(
        self, key: tuple[str, str], read: Callable[[], Awaitable[SessionRecord | None]], known: EpochRead | None
    ) -> SessionRecord | None:
        shared: SharedSession | None = None
        asked = False  # the shared store was asked for this key, in the epoch it read
        if known is not None:
            epoch = known.value
        elif self._shared is not None:
            epoch, shared = await self._shared.read(*key)
            asked = True
        else:
            epoch = await self._epoch.current()
        if epoch is None:
            # Commits made while the epoch could not be read may not have advanced it: trust nothing kept.
            self._entries.clear()
            self._key_of_session.clear()
        now = self._clock.now()
        entry = self._entries.get(key)
        if entry is not None and epoch is not None and self._fresh(entry, epoch, now):
            return entry.record
        if entry is not None:
            self._forget(key, entry)
        if self._shared is not None and epoch is not None and not asked:
            read_now, shared = await self._shared.read(*key)
            if read_now != epoch:  # moved since the request read it: what is kept under it is not for this one
                shared = None
        if shared is not None and epoch is not None:
            found = _Entry(record=shared.record, epoch=epoch, cached_at=shared.cached_at)
            if self._alive(found.record) and self._fresh(found, epoch, now):
                self._keep(key, found)
                return found.record
        record = await read()
        if record is not None and epoch is not None and self._alive(record):
            entry = _Entry(record=record, epoch=epoch, cached_at=now)
            self._keep(key, entry)
            if self._shared is not None:
                await self._share(key, entry, now)
        return record

    @staticmethod
    def _alive(record: SessionRecord) -> bool:
        return record.revoked_at is None and record.is_active

    async def _share(self, key: tuple[str, str], entry: _Entry, now: datetime) -> None:
        """Keep ``entry`` in the shared store for what is left of its TTL, never past the session's expiry."""
        assert self._shared is not None
        left = min(entry.cached_at + self._ttl, entry.record.expires_at) - now
        if left > timedelta(0):
            await self._shared.keep(key[0], key[1], SharedSession(entry.record, entry.cached_at), entry.epoch, left)

    def _fresh(self, entry: _Entry, epoch: str, now: datetime) -> bool:
        return entry.epoch == epoch and now - entry.cached_at < self._ttl and now < entry.record.expires_at

    def _keep(self, key: tuple[str, str], entry: _Entry) -> None:
        if self._max_entries <= 0:
            return
        while len(self._entries) >= self._max_entries:
            oldest_key, oldest = next(iter(self._entries.items()))
            self._forget(oldest_key, oldest)
        self._entries[key] = entry
        self._key_of_session[entry.record.session_id] = key

    def _forget(self, key: tuple[str, str], entry: _Entry) -> None:
        self._entries.pop(key, None)
        if self._key_of_session.get(entry.record.session_id) == key:
            del self._key_of_session[entry.record.session_id]
