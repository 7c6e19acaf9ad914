"""The workers' session caches share what they read through Redis (decision 0045): a session one worker checked
is served to another without a database read, and a logout still ends it on every worker at once."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import event

from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import shared_redis_settings
from tests.integration.http.accounts import bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox


def session_reads(app: Any) -> list[str]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        if "sessions" in str(args[2]) and str(args[2]).lstrip().upper().startswith("SELECT"):
            statements.append(str(args[2]))

    event.listen(app.state.container.engine().sync_engine, "before_cursor_execute", count)
    return statements


async def test_a_session_one_worker_checked_is_served_to_the_others_until_a_logout(
    settings: Settings, redis_url: str, mailbox: Mailbox
) -> None:
    config = shared_redis_settings(settings, redis_url)
    async with (
        AsyncTestClient(app=create_app(config)) as one,
        AsyncTestClient(app=create_app(config)) as two,
        AsyncTestClient(app=create_app(config)) as three,
    ):
        tokens = await jwt_login(one, await verified(one, mailbox))
        headers = bearer(tokens["access"])
        reads_one, reads_two, reads_three = session_reads(one.app), session_reads(two.app), session_reads(three.app)
        assert (await one.get("/api/auth/carts/", headers=headers)).status_code == 200
        assert len(reads_one) == 1  # the first worker to see the session reads it, and shares it
        assert (await two.get("/api/auth/carts/", headers=headers)).status_code == 200
        assert (await two.get("/api/auth/carts/", headers=headers)).status_code == 200
        assert reads_two == []  # served from what the first one shared, then from its own cache

        assert (await one.post("/api/auth/jwt/logout/", headers=headers, json={})).status_code == 200
        assert (await two.get("/api/auth/carts/", headers=headers)).status_code == 401
        assert (await three.get("/api/auth/carts/", headers=headers)).status_code == 401  # never saw it before
        assert reads_two and reads_three  # the epoch moved: nothing shared before the logout was served
