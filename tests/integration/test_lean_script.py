"""The rate limiter's own Redis client for its script (adapters/ratelimit/script_client.py, decision 0045): the
same answers as redis-py, pipelined concurrent calls each get their own reply, NOSCRIPT after SCRIPT FLUSH,
and a Redis that is stopped, paused or killed degrades the limiter exactly as before and recovers."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from s2cart.adapters.ratelimit import fallback
from s2cart.adapters.ratelimit.fallback import FallbackRateLimiter
from s2cart.adapters.ratelimit.memory import MemoryRateLimiter
from s2cart.adapters.ratelimit.redis import RedisRateLimiter
from s2cart.adapters.ratelimit.script_client import LeanScript, ReplyError, lean_script
from s2cart.application.ports.ratelimit import Limit, LimitCheck
from tests.integration.redis_server import _free_port, redis_server

# A test's own redis-server listens on a free port, or on this one (a shared machine's port range).
PORT_ENV = "S2CART_TEST_OWN_REDIS_PORT"

ECHO = "return {KEYS[1], ARGV[1], tonumber(ARGV[2]), false, {#KEYS, #ARGV}}"


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=0.5)
    yield client
    await client.aclose()


def own_port() -> int:
    return int(os.environ.get(PORT_ENV) or _free_port())


def checks(user: str = "1") -> list[LimitCheck]:
    return [
        LimitCheck(Limit(100, 60, "user"), f"user:{user}"),
        LimitCheck(Limit(10, 1, "burst"), "ip:127.0.0.1"),
    ]


async def test_answers_as_redis_py_does_in_the_database_the_url_names(client: Redis) -> None:
    lean = lean_script(client, ECHO)
    assert lean is not None
    try:
        expected = await client.register_script(ECHO)(keys=["k:é"], args=["v", 42])
        assert await lean(["k:é"], ["v", 42]) == expected == [b"k:\xc3\xa9", b"v", 42, None, [1, 2]]
        # SELECT: what the script writes lands in the URL's database, where redis-py reads it.
        write = lean_script(client, "return redis.call('SET', KEYS[1], ARGV[1])")
        assert write is not None
        assert await write(["lean:selected"], ["yes"]) == b"OK"
        assert await client.get("lean:selected") == b"yes"
        await write.aclose()
    finally:
        await lean.aclose()


async def test_the_limiter_counts_and_reads_the_epoch_as_with_redis_py(client: Redis) -> None:
    lean, plain = RedisRateLimiter(client, lean=True), RedisRateLimiter(client, lean=False)
    assert lean._lean is not None and plain._lean is None
    try:
        decision, epoch = await lean.hit_in_epoch(checks(), "unknown")
        assert decision is None and epoch.value  # another epoch: nothing counted, the epoch answered
        assert epoch.value is not None
        counted = [await limiter.hit_in_epoch(checks(), epoch.value) for limiter in (lean, plain, lean)]
        assert [d.states[0].used for d, _ in counted if d is not None] == [1, 2, 3]
        assert [e.value for _, e in counted] == [epoch.value] * 3
        refused = [await lean.hit(checks("2")) for _ in range(11)][-1]
        assert not refused.allowed and refused.states[1].used == 11  # the burst limit: 11 of 10, not counted
    finally:
        await lean.aclose()


async def test_concurrent_calls_each_get_their_own_reply(client: Redis) -> None:
    lean = lean_script(client, "return {ARGV[1], redis.call('INCR', KEYS[1])}")
    assert lean is not None
    try:
        replies = await asyncio.gather(*(lean(["lean:n"], [f"call-{i}"]) for i in range(500)))
        assert [r[0] for r in replies] == [f"call-{i}".encode() for i in range(500)]
        assert sorted(r[1] for r in replies) == list(range(1, 501))
        assert len(await asyncio.gather(*(lean(["lean:n"], ["x" * 70_000]) for _ in range(20)))) == 20  # long replies
    finally:
        await lean.aclose()


async def test_an_error_reply_is_raised_and_the_connection_goes_on(client: Redis) -> None:
    lean = lean_script(client, "if ARGV[1] == 'fail' then return redis.error_reply('ERR asked to') end return 1")
    assert lean is not None
    try:
        with pytest.raises(ReplyError, match="asked to"):
            await lean([], ["fail"])
        assert await lean([], ["ok"]) == 1
    finally:
        await lean.aclose()


async def test_noscript_after_script_flush_loads_the_script_again() -> None:
    with redis_server(own_port()) as server:
        client = Redis.from_url(server.url)
        lean = lean_script(client, "return ARGV[1]")
        assert lean is not None
        try:
            assert await lean([], ["one"]) == b"one"
            await client.script_flush()
            assert await client.script_exists(lean.sha) == [False]
            assert await lean([], ["two"]) == b"two"  # NOSCRIPT, then EVAL: loaded again
            assert await client.script_exists(lean.sha) == [True]
            assert await lean([], ["three"]) == b"three"
        finally:
            await lean.aclose()
            await client.aclose()


async def test_a_killed_redis_degrades_the_limiter_and_it_recovers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fallback, "RETRY_SECONDS", 0.0)
    port = own_port()
    with redis_server(port) as server:
        client = Redis.from_url(server.url, socket_connect_timeout=0.5, socket_timeout=0.5)
        primary = RedisRateLimiter(client)
        assert primary._lean is not None
        limiter = FallbackRateLimiter(primary, MemoryRateLimiter())
        assert (await limiter.hit(checks())).states[0].used == 1
        waiting = asyncio.gather(*(primary.hit(checks()) for _ in range(5)), return_exceptions=True)
        server.kill()
        # Calls on the connection when it went away (if Redis had not answered them) fail, none hangs.
        assert all(isinstance(r, (OSError, TimeoutError)) or r.allowed for r in await waiting)
        with pytest.raises(ConnectionRefusedError):
            await primary.hit(checks())
        degraded = await limiter.hit(checks())
        assert limiter.degraded and degraded.allowed and degraded.states[0].used == 1  # the memory limiter counted
    with redis_server(port):
        recovered = await limiter.hit(checks())
        assert not limiter.degraded
        assert recovered.states[0].used == 1  # a fresh Redis: shared counting again, reconnected
        assert (await limiter.hit(checks())).states[0].used == 2
        await limiter.aclose()
        await client.aclose()


async def test_a_paused_redis_times_out_every_waiting_call_then_the_next_call_reconnects() -> None:
    with redis_server(own_port()) as server:
        client = Redis.from_url(server.url, socket_connect_timeout=0.3, socket_timeout=0.3)
        lean = lean_script(client, "return ARGV[1]")
        assert lean is not None
        try:
            assert await lean([], ["before"]) == b"before"
            with server.paused():
                started = time.monotonic()
                async with asyncio.timeout(5):  # without deadlines of its own the client would wait for ever
                    results = await asyncio.gather(*(lean([], [str(i)]) for i in range(10)), return_exceptions=True)
                waited = time.monotonic() - started
            assert all(isinstance(r, TimeoutError) for r in results), results
            assert 0.25 <= waited < 2.0, waited
            assert await lean([], ["after"]) == b"after"
        finally:
            await lean.aclose()
            await client.aclose()


async def test_no_redis_at_all_is_a_connection_error_not_a_hang() -> None:
    lean = LeanScript("return 1", host="127.0.0.1", port=_free_port(), timeout=0.3, connect_timeout=0.3)
    started = time.monotonic()
    with pytest.raises(ConnectionRefusedError):
        await lean([], [])
    assert time.monotonic() - started < 2.0


def test_tls_and_unix_sockets_keep_redis_py() -> None:
    assert lean_script(Redis.from_url("rediss://127.0.0.1:6379/0"), "return 1") is None
    assert lean_script(Redis.from_url("unix:///tmp/redis.sock"), "return 1") is None
    assert RedisRateLimiter(Redis.from_url("rediss://127.0.0.1:6379/0"))._lean is None


class _Transport:
    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.aborted = False

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def abort(self) -> None:
        self.aborted = True


async def test_replies_split_anywhere_reach_their_callers_in_order() -> None:
    from s2cart.adapters.ratelimit.script_client import _Connection

    connection = _Connection(timeout=5)
    transport = _Transport()
    connection.connection_made(transport)  # type: ignore[arg-type]
    futures = [connection.send(b"x") for _ in range(4)]
    replies = b"*3\r\n:12\r\n$-1\r\n$2\r\nab\r\n" + b"-NOSCRIPT no\r\n" + b"+OK\r\n" + b"*2\r\n*1\r\n:-1\r\n$0\r\n\r\n"
    for i in range(len(replies)):  # one byte at a time
        connection.data_received(replies[i : i + 1])
    assert [f.result() if not isinstance(f.result(), ReplyError) else "error" for f in futures] == [
        [12, None, b"ab"],
        "error",
        b"OK",
        [[-1], b""],
    ]
    assert connection.buffer == b"" and not connection.pending
    connection.data_received(b":1\r\n")  # a reply nobody asked for: not RESP we can trust, the connection goes
    assert transport.aborted
