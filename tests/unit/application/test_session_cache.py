"""CachedSessionLookup: what it may answer from memory, and when it must ask the database."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from s2cart.application.auth.session_cache import CachedSessionLookup
from s2cart.application.ports.auth import EpochRead, SessionRecord, SharedSession
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


class Shared:
    """The shared store's entries (decision 0045), keyed by epoch as the Redis adapter keys them."""

    def __init__(self, epoch: Epoch, clock: FakeClock) -> None:
        self.epoch = epoch
        self.clock = clock
        self.entries: dict[tuple[str, str, str], tuple[SharedSession, datetime]] = {}
        self.reads = 0

    async def read(self, kind: str, key: str) -> tuple[str | None, SharedSession | None]:
        self.reads += 1
        epoch = await self.epoch.current()
        if epoch is None:
            return None, None
        kept = self.entries.get((epoch, kind, key))
        if kept is None or kept[1] <= self.clock.now():
            return epoch, None
        return epoch, kept[0]

    async def keep(self, kind: str, key: str, entry: SharedSession, epoch: str, ttl: timedelta) -> None:
        if await self.epoch.current() == epoch:
            self.entries[(epoch, kind, key)] = (entry, self.clock.now() + ttl)

    async def aclose(self) -> None:
        pass


def workers(count: int = 2) -> tuple[CountingLookup, Epoch, FakeClock, Shared, list[CachedSessionLookup]]:
    inner, epoch, clock = CountingLookup(), Epoch(), FakeClock()
    shared = Shared(epoch, clock)
    caches = [CachedSessionLookup(inner, epoch, clock, ttl=timedelta(seconds=30), shared=shared) for _ in range(count)]
    return inner, epoch, clock, shared, caches


async def test_a_session_one_worker_read_is_served_to_another_without_the_database() -> None:
    inner, _epoch, clock, shared, (one, two) = workers()
    inner.by_id["s1"] = record(clock)
    assert await one.by_session_id("s1") == inner.by_id["s1"]
    assert (inner.reads, shared.reads) == (1, 1)
    assert await two.by_session_id("s1") == inner.by_id["s1"]  # from the shared store
    assert (inner.reads, shared.reads) == (1, 2)
    assert await two.by_session_id("s1", EpochRead("e1")) == inner.by_id["s1"]  # now its own: nothing asked
    assert (inner.reads, shared.reads) == (1, 2)


async def test_a_revocation_hides_every_shared_entry_at_once() -> None:
    inner, epoch, clock, _shared, (one, two) = workers()
    inner.by_id["s1"] = record(clock)
    await one.by_session_id("s1")
    inner.by_id["s1"] = record(clock, revoked_at=clock.now())  # logged out in a third worker
    await epoch.advance()
    answer = await two.by_session_id("s1")
    assert answer is not None and answer.revoked_at is not None  # the database said so
    assert inner.reads == 2
    # The limiter read the new epoch for a worker that had the session cached: its entry and the shared one
    # are both of the old epoch, so the database answers.
    answer = await one.by_session_id("s1", EpochRead(await epoch.current()))
    assert answer is not None and answer.revoked_at is not None
    assert inner.reads == 3


async def test_shared_entries_age_from_the_database_read_and_are_never_kept_while_fenced() -> None:
    inner, epoch, clock, shared, (one, two) = workers()
    inner.by_id["s1"] = record(clock)
    await one.by_session_id("s1")
    clock.advance(seconds=29)
    await two.by_session_id("s1")  # 29 s old in the store: served, and kept by two only for the 1 s left
    assert inner.reads == 1
    clock.advance(seconds=1)
    await two.by_session_id("s1")
    assert inner.reads == 2  # 30 s since the database read: read again (and shared again)
    fence = await epoch.begin_change()
    await one.by_session_id("s1")
    await two.by_session_id("s1")
    assert inner.reads == 4 and not any(e == (epoch.value or "") for e, _k, _s in shared.entries)
    await epoch.end_change(fence)
    await one.by_session_id("s1")
    await two.by_session_id("s1")
    assert inner.reads == 5  # one read it in the new epoch, two got it from the store


async def test_an_entry_shared_in_an_epoch_the_request_did_not_read_is_not_used() -> None:
    inner, epoch, clock, _shared, (one, two) = workers()
    inner.by_id["s1"] = record(clock)
    await two.by_session_id("s1")
    await one.by_session_id("s1")
    await epoch.advance()  # e1 -> e1++ : the limiter read "e1+" in between (a fence lifted since)
    await two.by_session_id("s1")  # read and shared in the newest epoch
    assert inner.reads == 2
    await one.by_session_id("s1", EpochRead("e1+"))  # its entry is of e1, the store's of e1++: the database
    assert inner.reads == 3


async def test_touch_updates_the_shared_entry_so_other_workers_do_not_touch_again() -> None:
    inner, _epoch, clock, _shared, (one, two) = workers()
    inner.by_id["s1"] = record(clock, last_activity=clock.now() - timedelta(minutes=5))
    await one.by_session_id("s1")
    clock.advance(seconds=1)
    await one.touch("s1", clock.now())
    served = await two.by_session_id("s1")
    assert served is not None and served.last_activity == clock.now()
    assert inner.reads == 1
