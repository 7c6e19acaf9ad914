"""One Redis round trip per authenticated request (decision 0040), counted by Redis itself (MONITOR).

With rate limits and the session cache in the same Redis, the rate-limit script reads the AuthEpoch with the
count: a request whose session the worker has cached costs one command (EVALSHA) and no SQL. A logout in another
worker still takes effect on the next request."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from litestar.testing import AsyncTestClient
from sqlalchemy import event

from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox

END = "s2cart-test-monitor-end"


def folded(settings: Settings, redis_url: str) -> Settings:
    return make_settings(
        settings.database_url,
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        redis_url=redis_url,
        rate_limit_enabled=True,
        rate_limit_storage=redis_url,
        session_cache_seconds=300,
    )


@contextmanager
def monitored(redis_url: str) -> Iterator[list[str]]:
    """The commands clients send to this test's Redis database while the block runs (a script's own
    commands are not the client's round trips and are left out)."""
    client = redis.Redis.from_url(redis_url)
    db = client.connection_pool.connection_kwargs.get("db", 0)
    seen: list[str] = []
    ready = threading.Event()
    marker = redis.Redis.from_url(redis_url)
    marker.ping()  # its connection is open (and its SELECT sent) before the monitor starts

    def listen() -> None:
        with client.monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                text: str = command["command"]
                if END in text:
                    return
                if command.get("db") == db and command.get("client_type") != "lua":
                    seen.append(text.split(" ", 1)[0].upper())

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    ready.wait(5)
    try:
        yield seen
    finally:
        marker.echo(END)
        thread.join(5)
        marker.close()
        client.close()


async def test_a_cached_session_costs_one_redis_command_and_a_logout_still_ends_it(
    settings: Settings, redis_url: str, mailbox: Mailbox
) -> None:
    config = folded(settings, redis_url)
    async with (
        AsyncTestClient(app=create_app(config)) as one,
        AsyncTestClient(app=create_app(config)) as two,
    ):
        tokens = await jwt_login(one, await verified(one, mailbox))
        headers = bearer(tokens["access"])
        first = await two.get("/api/auth/carts/", headers=headers)  # not cached yet in the second worker
        assert first.status_code == 200
        engine: Any = two.app.state.container.engine().sync_engine
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", count)
        with monitored(redis_url) as commands:
            answers = [await two.get("/api/auth/carts/", headers=headers) for _ in range(5)]
        event.remove(engine, "before_cursor_execute", count)
        assert [a.status_code for a in answers] == [200] * 5
        assert all("x-ratelimit-remaining" in a.headers and "x-request-id" in a.headers for a in answers)
        assert [int(a.headers["x-ratelimit-remaining"]) for a in answers] == sorted(
            (int(a.headers["x-ratelimit-remaining"]) for a in answers), reverse=True
        )  # counted, each one
        assert commands == ["EVALSHA"] * 5, commands
        assert not any("sessions" in s for s in statements), statements  # the session came from the cache

        assert (await one.post("/api/auth/jwt/logout/", headers=headers, json={})).status_code == 200
        with monitored(redis_url) as after:
            refused = await two.get("/api/auth/carts/", headers=headers)
        assert refused.status_code == 401
        assert refused.headers["x-ratelimit-limit"]  # counted, as anonymous, with its headers
        # The epoch moved: the script counted nothing and said so, the session was read (revoked), then the
        # request was counted as anonymous; the handler's principal dependency checked the credential again
        # (epoch GET, session read) to answer the 401, as it did before decision 0040.
        assert after == ["EVALSHA", "EVALSHA", "GET"], after
