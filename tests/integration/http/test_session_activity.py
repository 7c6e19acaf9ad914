"""Sessions' last_activity: moved at most once a minute, gathered per worker and written together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dependency_injector import providers
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from s2cart.adapters.persistence.tables.accounts import sessions
from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.fakes import FakeClock
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox


def _config(settings: Settings, flush_seconds: float) -> Settings:
    return make_settings(
        settings.database_url,
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        activity_flush_seconds=flush_seconds,
    )


async def _stored_activity(config: Settings) -> list[datetime]:
    container = build_container(config)
    try:
        async with container.engine().connect() as connection:
            query = select(sessions.c.last_activity).where(sessions.c.scheme == "jwt")
            return list((await connection.execute(query)).scalars())
    finally:
        await container.engine().dispose()


async def test_activity_is_gathered_written_together_and_flushed_at_shutdown(
    settings: Settings, mailbox: Mailbox
) -> None:
    config = _config(settings, flush_seconds=60)  # the loop never runs here: the test flushes by hand
    container = build_container(config)
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10))
    container.clock.override(providers.Object(clock))
    async with AsyncTestClient(app=create_app(container=container)) as client:
        tokens = await jwt_login(client, await verified(client, mailbox))
        started = clock.now()
        assert await _stored_activity(config) == [started]

        clock.advance(minutes=2)
        assert (await client.get("/api/auth/carts/", headers=bearer(tokens["access"]))).status_code == 200
        assert (await client.get("/api/auth/carts/", headers=bearer(tokens["access"]))).status_code == 200
        assert await _stored_activity(config) == [started]  # gathered, not yet written
        assert await container.session_store().flush_activity() == 1
        assert await _stored_activity(config) == [started + timedelta(minutes=2)]
        assert await container.session_store().flush_activity() == 0

        clock.advance(seconds=30)  # within the minute: nothing to write
        await client.get("/api/auth/carts/", headers=bearer(tokens["access"]))
        assert await container.session_store().flush_activity() == 0

        clock.advance(minutes=1)
        await client.get("/api/auth/carts/", headers=bearer(tokens["access"]))
    # The app's shutdown wrote what the worker still held.
    assert await _stored_activity(config) == [started + timedelta(minutes=3, seconds=30)]


async def test_with_flushing_off_each_touch_is_written_at_once(settings: Settings, mailbox: Mailbox) -> None:
    config = _config(settings, flush_seconds=0)
    container = build_container(config)
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10))
    container.clock.override(providers.Object(clock))
    async with AsyncTestClient(app=create_app(container=container)) as client:
        tokens = await jwt_login(client, await verified(client, mailbox))
        clock.advance(minutes=5)
        assert (await client.get("/api/auth/carts/", headers=bearer(tokens["access"]))).status_code == 200
        assert await _stored_activity(config) == [clock.now()]
