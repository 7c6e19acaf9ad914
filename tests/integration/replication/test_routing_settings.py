"""Routing off and on without a standby of the tests' own: SQLite refuses replicas, no setting means no
router, and a standby that cannot be reached leaves every read on the primary with /health/ degraded."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from s2cart.adapters.persistence.readers.storefront import SqlAlchemyStorefrontReader
from s2cart.adapters.persistence.replicas import ReplicaRouter
from s2cart.entrypoints.container import build_container, close_resources
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings, SettingsError
from tests.integration.conftest import make_settings
from tests.integration.http.catalog import load_demo_catalog

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/none"


def test_read_urls_are_a_comma_separated_list_of_postgresql_urls() -> None:
    environ = {
        "S2CART_DATABASE_URL": "postgresql+psycopg://postgres@db/s2cart",
        "S2CART_DATABASE_READ_URL": "postgresql+psycopg://r1/s2cart, postgresql+psycopg://r2/s2cart",
        "S2CART_DATABASE_READ_MAX_LAG_SECONDS": "2.5",
    }
    settings = Settings.from_env(environ)
    assert settings.database_read_url == ("postgresql+psycopg://r1/s2cart", "postgresql+psycopg://r2/s2cart")
    assert settings.database_read_max_lag_seconds == 2.5


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"S2CART_DATABASE_URL": "sqlite+aiosqlite:///x.db", "S2CART_DATABASE_READ_URL": UNREACHABLE}, "SQLite"),
        ({"S2CART_DATABASE_URL": UNREACHABLE, "S2CART_DATABASE_READ_URL": "mysql://r/x"}, "postgresql URL"),
        (
            {"S2CART_DATABASE_URL": UNREACHABLE, "S2CART_DATABASE_READ_URL": UNREACHABLE,
             "S2CART_DATABASE_READ_MAX_LAG_SECONDS": "0"},
            "S2CART_DATABASE_READ_MAX_LAG_SECONDS",
        ),
    ],
)  # fmt: skip
def test_bad_replica_settings_stop_the_service(environ: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(environ)


async def test_without_read_urls_nothing_is_routed(database_url: str) -> None:
    container = build_container(make_settings(database_url))
    try:
        assert container.read_router() is None
        assert type(container.storefront_reader()) is SqlAlchemyStorefrontReader
        assert container.uow()._marks is None  # commits leave no marks
    finally:
        await close_resources(container)


async def test_an_unreachable_replica_is_skipped_and_health_says_degraded(database_url: str, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("replicas are PostgreSQL's")
    container = build_container(make_settings(database_url, database_read_url=(UNREACHABLE,)))
    await load_demo_catalog(container)
    async with AsyncTestClient(app=create_app(container=container)) as client:
        browsed = await client.get("/api/auth/stores/store_123/products/prod_001/")
        health = await client.get("/api/auth/health/")
        router = container.read_router()  # the app's (its shutdown forgets it)
    assert isinstance(router, ReplicaRouter)
    assert browsed.status_code == 200, browsed.text
    assert router.stats.replica == 0 and router.stats.primary >= 1
    body = health.json()
    assert (health.status_code, body["status"], body["database"], body["replicas"]) == (
        200,
        "healthy",
        "connected",
        "degraded",
    )
