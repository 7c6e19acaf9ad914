"""RedisAuthEpoch against a redis-server of the test's own: fences, their expiry, and a Redis that stops."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis

from s2cart.adapters.system.auth_epoch import WRITE_BUDGET_SECONDS, RedisAuthEpoch
from s2cart.application.errors import StorageUnavailable
from tests.integration.redis_server import RedisServer, redis_server


@pytest.fixture
def server() -> Iterator[RedisServer]:
    with redis_server() as running:
        yield running


@pytest.fixture
async def client(server: RedisServer) -> AsyncIterator[Redis]:
    connection = Redis.from_url(server.url, socket_connect_timeout=1, socket_timeout=1)
    yield connection
    await connection.aclose()


async def test_an_open_fence_hides_the_epoch_and_lifting_it_brings_a_new_one(client: Redis) -> None:
    epoch = RedisAuthEpoch(client, retry_seconds=0)
    before = await epoch.current()
    assert before is not None
    assert await epoch.current() == before
    fence = await epoch.begin_change()
    assert await epoch.current() is None  # a commit is in flight: nothing may be cached or served
    await epoch.end_change(fence)
    after = await epoch.current()
    assert after is not None and after != before


async def test_the_epoch_stays_fenced_until_every_open_fence_is_lifted(client: Redis) -> None:
    epoch = RedisAuthEpoch(client, retry_seconds=0)
    first, second = await epoch.begin_change(), await epoch.begin_change()
    await epoch.end_change(first)
    assert await epoch.current() is None  # the second change has not committed yet
    await epoch.end_change(second)
    assert await epoch.current() is not None


async def test_a_fence_nobody_lifts_ends_by_itself_in_an_epoch_never_seen_before(client: Redis) -> None:
    epoch = RedisAuthEpoch(client, fence_seconds=0.3, retry_seconds=0)
    before = await epoch.current()
    await epoch.begin_change()  # the worker died after its commit
    assert await epoch.current() is None
    await asyncio.sleep(0.5)
    after = await epoch.current()
    assert after is not None and after != before


async def test_a_paused_redis_refuses_the_fence_in_time_and_keeps_a_lost_lift_fenced(
    server: RedisServer, client: Redis
) -> None:
    epoch = RedisAuthEpoch(client, fence_seconds=2.0, retry_seconds=0)
    before = await epoch.current()
    with server.paused():
        started = time.monotonic()
        with pytest.raises(StorageUnavailable):
            await epoch.begin_change()
        assert time.monotonic() - started < WRITE_BUDGET_SECONDS + 1
    assert await epoch.current() is not None  # Redis is back; the refused change left nothing behind

    fence = await epoch.begin_change()
    with server.paused():
        assert await epoch.current() is None  # unreadable: the database decides
        started = time.monotonic()
        await epoch.end_change(fence)  # lost, and it must not raise: the change has committed
        assert time.monotonic() - started < WRITE_BUDGET_SECONDS + 1
    assert await epoch.current() is None  # the fence is still up, so no cache trusts anything yet
    await asyncio.sleep(2.2)
    after = await epoch.current()
    assert after is not None and after != before
