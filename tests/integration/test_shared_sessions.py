"""RedisSharedSessions (decision 0045) against a redis-server of the test's own: entries found only in the epoch
they were kept in, nothing while a fence is open, their TTL, and a Redis that stops."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from s2cart.adapters.system.auth_epoch import RedisAuthEpoch
from s2cart.adapters.system.shared_sessions import RedisSharedSessions
from s2cart.application.ports.auth import SessionRecord, SharedSession
from tests.integration.redis_server import RedisServer, _free_port, redis_server

PORT_ENV = "S2CART_TEST_OWN_REDIS_PORT"


@pytest.fixture
def server() -> Iterator[RedisServer]:
    with redis_server(int(os.environ.get(PORT_ENV) or _free_port())) as running:
        yield running


@pytest.fixture
async def client(server: RedisServer) -> AsyncIterator[Redis]:
    connection = Redis.from_url(server.url, socket_connect_timeout=0.3, socket_timeout=0.3)
    yield connection
    await connection.aclose()


def entry(**changes: object) -> SharedSession:
    now = datetime.now(UTC).replace(microsecond=123456)
    record = SessionRecord(
        session_id="s1",
        user_id=7,
        scheme="jwt",
        device_type="web",
        last_activity=now - timedelta(minutes=3),
        expires_at=now + timedelta(hours=1),
        revoked_at=None,
        tier="premium",
        is_verified=True,
        is_active=True,
    )
    for name, value in changes.items():
        record = SessionRecord(**{**record.__dict__, name: value})
    return SharedSession(record, now)


async def test_an_entry_is_found_in_its_epoch_only(client: Redis) -> None:
    epoch, shared = RedisAuthEpoch(client, retry_seconds=0), RedisSharedSessions.over(client)
    assert shared is not None
    try:
        first, nothing = await shared.read("session", "s1")
        assert first is not None and nothing is None
        assert first == await epoch.current()  # the same epoch, started by whichever asked first
        kept = entry()
        await shared.keep("session", "s1", kept, first, timedelta(seconds=30))
        assert await shared.read("session", "s1") == (first, kept)  # every field, microseconds included
        assert (await shared.read("token", "s1"))[1] is None  # a legacy token's digest is another key

        fence = await epoch.begin_change()
        assert await shared.read("session", "s1") == (None, None)  # a commit in flight: nothing
        await shared.keep("session", "s1", kept, first, timedelta(seconds=30))  # its epoch has moved: not kept
        await epoch.end_change(fence)
        second, found = await shared.read("session", "s1")
        assert second not in (None, first) and found is None
        await shared.keep("session", "s1", kept, first, timedelta(seconds=30))  # read in the old epoch: not kept
        assert await shared.read("session", "s1") == (second, None)
        assert second is not None
        await shared.keep("session", "s1", entry(revoked_at=datetime.now(UTC)), second, timedelta(seconds=30))
        await shared.keep("session", "s1", entry(is_active=False), second, timedelta(seconds=30))
        assert await shared.read("session", "s1") == (second, None)  # only live sessions are kept
    finally:
        await shared.aclose()


async def test_an_entry_lasts_its_ttl(client: Redis) -> None:
    shared = RedisSharedSessions.over(client)
    assert shared is not None
    try:
        epoch, _ = await shared.read("session", "s1")
        assert epoch is not None
        await shared.keep("session", "s1", entry(), epoch, timedelta(milliseconds=200))
        assert (await shared.read("session", "s1"))[1] is not None
        await asyncio.sleep(0.3)
        assert await shared.read("session", "s1") == (epoch, None)
    finally:
        await shared.aclose()


async def test_a_stopped_redis_is_an_unknown_epoch_then_a_pause_before_asking_again(
    client: Redis, server: RedisServer
) -> None:
    shared = RedisSharedSessions.over(client)
    assert shared is not None
    shared._retry_seconds = 0.5
    try:
        epoch, _ = await shared.read("session", "s1")
        assert epoch is not None
        await shared.keep("session", "s1", entry(), epoch, timedelta(seconds=30))
        with server.paused():
            assert await shared.read("session", "s1") == (None, None)  # timed out: the database answers
            started = asyncio.get_running_loop().time()
            assert await shared.read("session", "s1") == (None, None)  # not asked again yet: at once
            assert asyncio.get_running_loop().time() - started < 0.05
            await shared.keep("session", "s2", entry(), epoch, timedelta(seconds=30))  # never raises
        await asyncio.sleep(0.5)
        assert (await shared.read("session", "s1"))[1] is not None  # asked again, reconnected
    finally:
        await shared.aclose()
