"""A primary and a streaming standby of the tests' own (ports 55432 and 55433), once per module.

Run when S2CART_TEST_DATABASE_URL points at PostgreSQL (the suite's signal that PostgreSQL is covered),
skipped otherwise; the machine's own cluster is never touched.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest
import redis
from litestar import Litestar

from s2cart.adapters.persistence import migrator
from s2cart.adapters.persistence.tables import metadata
from s2cart.entrypoints.container import Container, build_container, close_resources
from s2cart.entrypoints.http.app import create_app
from tests.integration.conftest import PG_ENV, make_settings
from tests.integration.mailbox import Mailbox
from tests.integration.replication.cluster import Replicated, replicated_clusters

PRIMARY_PORT, REPLICA_PORT = 55432, 55433
DATABASE = "s2cart"


@pytest.fixture(scope="module")
def replication() -> Iterator[Replicated]:
    if not os.environ.get(PG_ENV):
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: CI must cover PostgreSQL")
        pytest.skip(f"PostgreSQL not configured ({PG_ENV})")
    with replicated_clusters(PRIMARY_PORT, REPLICA_PORT) as clusters:
        clusters.primary.execute(f"CREATE DATABASE {DATABASE}")
        migrator.upgrade(clusters.primary.url(DATABASE))
        clusters.wait_replayed()
        yield clusters


@pytest.fixture
def replicated(replication: Replicated) -> Replicated:
    """Both clusters running, replay on, empty tables, the standby caught up."""
    if not replication.replica.running():
        replication.replica.start()
    replication.resume_replay()
    tables = ", ".join(f'"{t.name}"' for t in reversed(metadata.sorted_tables))
    replication.primary.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE", DATABASE)
    replication.wait_replayed()
    return replication


@pytest.fixture(params=["redis", "process"])
def marks_redis(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """Where read-your-writes marks live: the tests' Redis database (emptied; skipped when none is configured,
    failing under CI), or, with None, the process (no Redis at all)."""
    url = os.environ.get("S2CART_TEST_REDIS_URL")
    if request.param == "process":
        yield None
        return
    if not url:
        if os.environ.get("CI"):
            pytest.fail("S2CART_TEST_REDIS_URL is not set: CI must cover Redis")
        pytest.skip("Redis not configured (S2CART_TEST_REDIS_URL)")
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


def replica_container(
    replicated: Replicated, mailbox: Mailbox, redis_url: str | None, max_lag: float, **overrides: object
) -> Container:
    settings = make_settings(
        replicated.primary.url(DATABASE),
        database_read_url=(replicated.replica.url(DATABASE),),
        database_read_max_lag_seconds=max_lag,
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,
        redis_url=redis_url,
        **overrides,
    )
    return build_container(settings)


@pytest.fixture
async def apps() -> AsyncIterator[list[tuple[Litestar, Container]]]:
    """Apps a test builds; their pools are closed at its end."""
    built: list[tuple[Litestar, Container]] = []
    yield built
    for _, container in built:
        await close_resources(container)


def replica_rows(replicated: Replicated, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(replicated.replica.conninfo.replace("dbname=postgres", f"dbname={DATABASE}")) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


def build(apps: list[tuple[Litestar, Container]], container: Container) -> Litestar:
    app = create_app(container=container)
    apps.append((app, container))
    return app
