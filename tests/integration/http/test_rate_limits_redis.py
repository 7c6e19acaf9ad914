"""Limits shared through the machine's Redis, and what happens when Redis is not there."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import make_settings


def shared(settings: Settings, storage: str) -> Settings:
    return make_settings(settings.database_url, rate_limit_enabled=True, rate_limit_storage=storage)


async def test_two_instances_share_one_budget(settings: Settings, redis_url: str) -> None:
    config = shared(settings, redis_url)
    body = {"email": "shared@example.com", "password": "Whatever-123"}
    async with AsyncTestClient(app=create_app(config)) as one, AsyncTestClient(app=create_app(config)) as two:
        statuses = [
            (await one.post("/api/auth/jwt/", json=body)).status_code,
            (await two.post("/api/auth/jwt/", json=body)).status_code,
            (await one.post("/api/auth/jwt/", json=body)).status_code,
            (await two.post("/api/auth/jwt/", json=body)).status_code,
        ]
        assert statuses == [400, 400, 400, 429]
        refused = await one.post("/api/auth/jwt/", json=body)
        assert refused.status_code == 429
        assert refused.json()["current_usage"] == "4/3"
        health = await two.get("/api/auth/health/")
        assert health.json()["cache"] == "operational"


async def test_without_redis_the_service_keeps_answering_and_says_degraded(settings: Settings) -> None:
    config = shared(settings, "redis://127.0.0.1:1/0")
    body = {"email": "alone@example.com", "password": "Whatever-123"}
    async with AsyncTestClient(app=create_app(config)) as client:
        statuses = [(await client.post("/api/auth/jwt/", json=body)).status_code for _ in range(4)]
        assert statuses == [400, 400, 400, 429]  # per-process limits still hold
        health = await client.get("/api/auth/health/")
        assert health.status_code == 200
        assert (health.json()["status"], health.json()["cache"]) == ("healthy", "degraded")
        assert "x-ratelimit-limit" in health.headers
