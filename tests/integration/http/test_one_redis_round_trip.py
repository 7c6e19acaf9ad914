"""One Redis round trip per authenticated request (decision 0040), counted on the app's Redis clients.

With rate limits and the session cache in the same Redis, the rate-limit script reads the AuthEpoch with the
count: a request whose session the worker has cached costs one command (EVALSHA) and no SQL. A logout in another
worker still takes effect on the next request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import event

from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import shared_redis_settings
from tests.integration.http.accounts import bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox


@contextmanager
def monitored(container: Any) -> Iterator[list[str]]:
    """The commands this app sends to Redis while the block runs, by name (a script's own commands run inside
    Redis and are not round trips). Counted on the app's clients, so nothing else using the database counts."""
    seen: list[str] = []
    clients = {id(c): c for c in (container.rate_limit_redis(), container.redis()) if c is not None}
    for client in clients.values():
        real = client.execute_command

        async def counted(*args: Any, _real: Any = real, **options: Any) -> Any:
            seen.append(str(args[0]).upper())
            return await _real(*args, **options)

        client.execute_command = counted
    # The rate-limit script has a client of its own (decision 0045): one call of it is one EVALSHA.
    limiter = getattr(container.rate_limiter(), "_primary", None)
    lean = getattr(limiter, "_lean", None)
    assert lean is not None, "the rate limiter should use its lean script client against a plain-TCP Redis"
    script = limiter._script

    async def evalsha(*args: Any, **options: Any) -> Any:
        seen.append("EVALSHA")
        return await script(*args, **options)

    limiter._script = evalsha
    # The session cache's shared entries (decision 0045) go through a lean client too: one call, one EVALSHA.
    shared = container.session_lookup()._shared
    assert shared is not None, "with the epoch in Redis the workers' session caches share what they read"
    session_script = shared._script

    async def session_evalsha(*args: Any, **options: Any) -> Any:
        seen.append("EVALSHA session " + str(args[1][0]))  # read or keep
        return await session_script(*args, **options)

    shared._script = session_evalsha
    try:
        yield seen
    finally:
        limiter._script = script
        shared._script = session_script
        for client in clients.values():
            del client.execute_command


async def test_a_cached_session_costs_one_redis_command_and_a_logout_still_ends_it(
    settings: Settings, redis_url: str, mailbox: Mailbox
) -> None:
    config = shared_redis_settings(settings, redis_url)
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
        with monitored(two.app.state.container) as commands:
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
        with monitored(two.app.state.container) as after:
            refused = await two.get("/api/auth/carts/", headers=headers)
        assert refused.status_code == 401
        assert refused.headers["x-ratelimit-limit"]  # counted, as anonymous, with its headers
        # The epoch moved: the script counted nothing and said so; the shared session entries had nothing in the
        # new epoch, the session was read (revoked), then the request was counted as anonymous; the handler's
        # principal dependency checked the credential again (the epoch with the shared entries, the session read)
        # to answer the 401, as it did before decision 0040.
        assert after == ["EVALSHA", "EVALSHA session read", "EVALSHA", "EVALSHA session read"], after
