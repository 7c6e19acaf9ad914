"""CachedSessionLookup: what it may answer from memory, and when it must ask the database."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from s2cart.application.auth.session_cache import CachedSessionLookup
from s2cart.application.ports.auth import EpochRead, SessionRecord
from tests.fakes import FakeClock


class CountingLookup:
    """The database side: records by id and digest, and how often it was asked."""

    def __init__(self) -> None:
        self.by_id: dict[str, SessionRecord] = {}
        self.by_digest: dict[str, SessionRecord] = {}
        self.reads = 0
        self.touched: list[tuple[str, datetime]] = []

    async def by_session_id(self, session_id: str) -> SessionRecord | None:
        self.reads += 1
        return self.by_id.get(session_id)

    async def by_token_digest(self, token_digest: str) -> SessionRecord | None:
        self.reads += 1
        return self.by_digest.get(token_digest)

    async def touch(self, session_id: str, now: datetime) -> None:
        self.touched.append((session_id, now))
        for table in (self.by_id, self.by_digest):
            for key, record in table.items():
                if record.session_id == session_id:
                    table[key] = replace(record, last_activity=now)


class Epoch:
    """The shared epoch as another worker's revocations change it: fenced while one commits."""

    def __init__(self) -> None:
        self.value: str | None = "e1"
        self.fences: set[str] = set()

    async def current(self) -> str | None:
        return None if self.fences else self.value

    async def begin_change(self) -> str:
        fence = f"f{len(self.fences)}"
        self.fences.add(fence)
        self.value = (self.value or "") + "+"
        return fence

    async def end_change(self, fence: str) -> None:
        self.fences.discard(fence)
        self.value = (self.value or "") + "+"

    async def advance(self) -> None:
        await self.end_change(await self.begin_change())


def record(clock: FakeClock, session_id: str = "s1", **changes: object) -> SessionRecord:
    base = SessionRecord(
        session_id=session_id,
        user_id=7,
        scheme="jwt",
        device_type="web",
        last_activity=clock.now(),
        expires_at=clock.now() + timedelta(hours=1),
        revoked_at=None,
        tier="standard",
        is_verified=True,
        is_active=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def parts() -> tuple[CountingLookup, Epoch, FakeClock, CachedSessionLookup]:
    inner, epoch, clock = CountingLookup(), Epoch(), FakeClock()
    return inner, epoch, clock, CachedSessionLookup(inner, epoch, clock, ttl=timedelta(seconds=30), max_entries=3)


async def test_a_live_session_is_read_once_while_the_epoch_holds(parts) -> None:
    inner, _epoch, clock, cache = parts
    inner.by_id["s1"] = record(clock)
    answers = [await cache.by_session_id("s1") for _ in range(5)]
    assert inner.reads == 1
    assert answers == [inner.by_id["s1"]] * 5


async def test_an_advanced_epoch_sends_the_next_request_to_the_database(parts) -> None:
    inner, epoch, clock, cache = parts
    inner.by_id["s1"] = record(clock)
    await cache.by_session_id("s1")
    inner.by_id["s1"] = record(clock, revoked_at=clock.now())  # another worker logged it out
    await epoch.advance()
    answer = await cache.by_session_id("s1")
    assert answer is not None and answer.revoked_at is not None
    assert inner.reads == 2


async def test_ended_and_missing_sessions_are_never_kept(parts) -> None:
    inner, _epoch, clock, cache = parts
    inner.by_id["revoked"] = record(clock, "revoked", revoked_at=clock.now())
    inner.by_id["inactive"] = record(clock, "inactive", is_active=False)
    for session_id in ("revoked", "inactive", "missing"):
        await cache.by_session_id(session_id)
        await cache.by_session_id(session_id)
    assert inner.reads == 6


async def test_entries_age_out_after_the_ttl_and_at_the_session_expiry(parts) -> None:
    inner, _epoch, clock, cache = parts
    inner.by_id["s1"] = record(clock)
    inner.by_id["short"] = record(clock, "short", expires_at=clock.now() + timedelta(seconds=10))
    await cache.by_session_id("s1")
    await cache.by_session_id("short")
    clock.advance(seconds=10)
    await cache.by_session_id("short")  # expired by its own clock: ask the database (a refresh may extend it)
    assert inner.reads == 3
    await cache.by_session_id("s1")
    assert inner.reads == 3
    clock.advance(seconds=20)
    await cache.by_session_id("s1")
    assert inner.reads == 4


async def test_without_an_epoch_nothing_is_trusted_or_kept(parts) -> None:
    inner, epoch, clock, cache = parts
    inner.by_id["s1"] = record(clock)
    await cache.by_session_id("s1")
    epoch.value = None  # the shared store is unreachable
    await cache.by_session_id("s1")
    await cache.by_session_id("s1")
    assert inner.reads == 3
    epoch.value = "e1"  # back with the same epoch: what was kept before the outage is gone
    await cache.by_session_id("s1")
    assert inner.reads == 4


async def test_touch_moves_the_cached_activity_so_the_write_stays_once_a_minute(parts) -> None:
    inner, _epoch, clock, cache = parts
    inner.by_digest["d1"] = record(clock, "legacy", scheme="token", last_activity=clock.now() - timedelta(minutes=2))
    await cache.by_token_digest("d1")
    clock.advance(seconds=5)
    await cache.touch("legacy", clock.now())
    again = await cache.by_token_digest("d1")
    assert again is not None and again.last_activity == clock.now()
    assert inner.reads == 1
    assert inner.touched == [("legacy", clock.now())]


async def test_the_cache_holds_at_most_its_bound_and_drops_the_oldest(parts) -> None:
    inner, _epoch, clock, cache = parts
    for name in ("a", "b", "c", "d"):
        inner.by_id[name] = record(clock, name)
        await cache.by_session_id(name)
    assert inner.reads == 4
    for name in ("b", "c", "d"):
        await cache.by_session_id(name)
    assert inner.reads == 4
    await cache.by_session_id("a")  # evicted when "d" came in
    assert inner.reads == 5


async def test_what_is_read_while_another_worker_commits_a_revocation_is_never_kept(parts) -> None:
    inner, epoch, clock, cache = parts
    inner.by_id["s1"] = record(clock)
    fence = await epoch.begin_change()  # another worker is committing a logout of s1
    await cache.by_session_id("s1")  # reads the row as it was before that commit
    inner.by_id["s1"] = record(clock, revoked_at=clock.now())
    await epoch.end_change(fence)
    answer = await cache.by_session_id("s1")
    assert answer is not None and answer.revoked_at is not None
    assert inner.reads == 2


class CountedEpoch(Epoch):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    async def current(self) -> str | None:
        self.reads += 1
        return await super().current()


async def test_an_epoch_read_with_the_rate_limit_count_is_not_read_again() -> None:
    inner, epoch, clock = CountingLookup(), CountedEpoch(), FakeClock()
    cache = CachedSessionLookup(inner, epoch, clock, ttl=timedelta(seconds=30))
    inner.by_id["s1"] = record(clock)
    assert cache.peek("session", "s1") is None  # nothing kept yet
    await cache.by_session_id("s1")  # read in e1, the epoch asked for once
    assert (epoch.reads, inner.reads) == (1, 1)

    peeked = cache.peek("session", "s1")
    assert peeked == (inner.by_id["s1"], "e1")
    assert await cache.by_session_id("s1", EpochRead("e1")) == inner.by_id["s1"]
    assert (epoch.reads, inner.reads) == (1, 1)  # neither the epoch nor the database was asked

    assert await cache.by_session_id("s1", EpochRead("e2")) == inner.by_id["s1"]  # moved on: the database
    assert (epoch.reads, inner.reads) == (1, 2)
    assert cache.peek("session", "s1") == (inner.by_id["s1"], "e2")  # kept again, in the epoch it was read in

    await cache.by_session_id("s1", EpochRead(None))  # fenced: read, and nothing kept
    assert (epoch.reads, inner.reads) == (1, 3)
    assert cache.peek("session", "s1") is None


async def test_a_peek_offers_nothing_past_the_ttl_or_the_sessions_expiry(parts) -> None:
    inner, _epoch, clock, cache = parts
    inner.by_id["s1"] = record(clock, expires_at=clock.now() + timedelta(seconds=20))
    await cache.by_session_id("s1")
    assert cache.peek("session", "s1") is not None
    clock.advance(seconds=20)
    assert cache.peek("session", "s1") is None
