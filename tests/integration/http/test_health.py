from __future__ import annotations

from datetime import datetime

from dependency_injector import providers
from litestar.testing import AsyncTestClient

from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.http.app import create_app
from tests.fakes import FakeDatabaseProbe
from tests.integration.conftest import make_settings


async def test_health_reports_a_connected_database(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/api/auth/health/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "timestamp", "version", "database", "cache"}
    assert (body["status"], body["database"], body["cache"], body["version"]) == (
        "healthy",
        "connected",
        "operational",
        "1.0.0",
    )
    datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))


async def test_health_is_503_when_the_database_is_unreachable() -> None:
    unreachable = make_settings("postgresql+psycopg://nobody@127.0.0.1:9/none")
    async with AsyncTestClient(app=create_app(unreachable)) as client:
        response = await client.get("/api/auth/health/")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("unhealthy", "disconnected")


async def test_health_is_503_when_the_sqlite_file_cannot_be_opened(tmp_path) -> None:  # type: ignore[no-untyped-def]
    unreachable = make_settings(f"sqlite+aiosqlite:///{tmp_path}/missing-dir/x.db")
    async with AsyncTestClient(app=create_app(unreachable)) as client:
        response = await client.get("/api/auth/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "disconnected"


async def test_an_adapter_overridden_in_the_container_reaches_the_handler(database_url: str) -> None:
    container = build_container(make_settings(database_url))
    probe = FakeDatabaseProbe(reachable=False)
    with container.database_probe.override(providers.Object(probe)):
        async with AsyncTestClient(app=create_app(container=container)) as client:
            response = await client.get("/api/auth/health/")
    assert response.status_code == 503
    assert probe.calls == 1


async def test_api_root_lists_endpoint_groups(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/api/auth/")
    body = response.json()
    assert response.status_code == 200
    assert body["name"] == "S2Cart API"
    assert body["endpoints"]["system"]["health"] == "/api/auth/health/"


async def test_openapi_document_is_served(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/api/docs/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert "/api/auth/health" in document["paths"] or "/api/auth/health/" in document["paths"]
