"""Revocations fail closed when Redis stops (decision 0022): three app instances share the database and a
redis-server of the test's own, which the test pauses with SIGSTOP.

A revocation that answered 200 is refused by every instance at once, however Redis behaves; one that could not
fence the caches answers 503 and has changed nothing."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, contextmanager
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import event

from s2cart.adapters.persistence.auth_changes import S2CartOrmSession
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox
from tests.integration.redis_server import RedisServer, redis_server

# A request that meets a stopped Redis waits for it a bounded time (socket timeouts, the epoch's budgets).
PATIENCE_SECONDS = 6.0


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture
async def workers(settings: Settings, redis: RedisServer) -> AsyncIterator[tuple[Client, Client, Client]]:
    """``a`` revokes; ``b`` is asked while Redis is stopped; ``c`` only once it runs again, so ``c`` has seen no
    Redis failure that would have emptied its cache."""
    config = make_settings(
        settings.database_url,
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        redis_url=redis.url,
        session_cache_seconds=300,
    )
    async with AsyncExitStack() as stack:
        a, b, c = [await stack.enter_async_context(AsyncTestClient(app=create_app(config))) for _ in range(3)]
        yield a, b, c


async def _status(client: Client, token: str) -> int:
    return (await client.get("/api/auth/carts/", headers=bearer(token))).status_code


async def _timed_post(client: Client, path: str, **kwargs: Any) -> tuple[int, float, dict[str, Any]]:
    started = time.monotonic()
    response = await client.post(path, **kwargs)
    return response.status_code, time.monotonic() - started, response.json()


@contextmanager
def redis_stops_after_the_next_commit(server: RedisServer) -> Iterator[None]:
    """SIGSTOP at the worst moment: the database has committed, the epoch write that follows has not run."""
    armed = [True]

    def stop(_session: Any) -> None:
        if armed[0]:
            armed[0] = False
            server.pause()

    event.listen(S2CartOrmSession, "after_commit", stop)
    try:
        yield
    finally:
        event.remove(S2CartOrmSession, "after_commit", stop)
        server.resume()


async def test_a_logout_while_redis_is_stopped_answers_503_and_ends_nothing(
    workers: tuple[Client, Client, Client], redis: RedisServer, mailbox: Mailbox
) -> None:
    a, b, c = workers
    tokens = await jwt_login(a, await verified(a, mailbox))
    assert [await _status(b, tokens["access"]), await _status(c, tokens["access"])] == [200, 200]  # cached

    with redis.paused():
        status, took, body = await _timed_post(a, "/api/auth/jwt/logout/", headers=bearer(tokens["access"]), json={})
        while_stopped = await _status(b, tokens["access"])
    after = await _status(c, tokens["access"])

    # Before the fix: (200, 401, 200), a logout that answered 200 while another worker served the token from
    # its cache once Redis ran again.
    assert (status, while_stopped, after) == (503, 200, 200)
    assert body["error_code"] == "SYS_503"
    assert took < PATIENCE_SECONDS

    # Redis is back: the same logout now takes effect everywhere at once.
    logout = await a.post("/api/auth/jwt/logout/", headers=bearer(tokens["access"]), json={})
    assert logout.status_code == 200
    assert [await _status(b, tokens["access"]), await _status(c, tokens["access"])] == [401, 401]


async def test_redis_stopping_right_after_a_logout_commits_leaves_no_cache_serving_the_token(
    workers: tuple[Client, Client, Client], redis: RedisServer, mailbox: Mailbox
) -> None:
    a, b, c = workers
    tokens = await jwt_login(a, await verified(a, mailbox))
    assert [await _status(b, tokens["access"]), await _status(c, tokens["access"])] == [200, 200]

    with redis_stops_after_the_next_commit(redis):
        status, took, _ = await _timed_post(a, "/api/auth/jwt/logout/", headers=bearer(tokens["access"]), json={})
        assert status == 200  # committed: the session has ended
        assert took < PATIENCE_SECONDS
        assert await _status(b, tokens["access"]) == 401  # at once, while Redis is still stopped
    assert [await _status(c, tokens["access"]), await _status(b, tokens["access"])] == [401, 401]


async def test_a_logout_of_every_session_while_redis_is_stopped_ends_none_of_them(
    workers: tuple[Client, Client, Client], redis: RedisServer, mailbox: Mailbox
) -> None:
    a, b, c = workers
    account = await verified(a, mailbox)
    web, phone = (
        await jwt_login(a, account),
        await jwt_login(a, account, device_type="ANDROID", device_id="phone-1"),
    )
    for token in (web["access"], phone["access"]):
        assert [await _status(b, token), await _status(c, token)] == [200, 200]

    everywhere = {"headers": bearer(web["access"]), "json": {"logout_type": "all"}}
    with redis.paused():
        status, took, _ = await _timed_post(a, "/api/auth/jwt/logout/", **everywhere)
    assert (status, await _status(c, web["access"]), await _status(c, phone["access"])) == (503, 200, 200)
    assert took < PATIENCE_SECONDS

    assert (await a.post("/api/auth/jwt/logout/", **everywhere)).status_code == 200
    for token in (web["access"], phone["access"]):
        assert [await _status(b, token), await _status(c, token)] == [401, 401]


async def test_a_password_reset_while_redis_is_stopped_changes_nothing_until_redis_answers(
    workers: tuple[Client, Client, Client], redis: RedisServer, mailbox: Mailbox
) -> None:
    a, b, c = workers
    account = await verified(a, mailbox)
    tokens = await jwt_login(a, account)
    assert [await _status(b, tokens["access"]), await _status(c, tokens["access"])] == [200, 200]
    await a.post("/api/auth/password-reset/request/", json={"email": account.email})
    reset = {"json": {"token": mailbox.wait_for(account.email, 2)[-1].reset_token, "password": "Brand-New-Pass-42"}}

    with redis.paused():
        status, took, _ = await _timed_post(a, "/api/auth/password-reset/confirm/", **reset)
    assert (status, await _status(c, tokens["access"])) == (503, 200)
    assert took < PATIENCE_SECONDS
    await jwt_login(a, account)  # the old password still signs in: nothing was reset

    assert (await a.post("/api/auth/password-reset/confirm/", **reset)).status_code == 200
    assert [await _status(b, tokens["access"]), await _status(c, tokens["access"])] == [401, 401]
