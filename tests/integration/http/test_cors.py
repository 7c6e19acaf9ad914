"""CORS (S2CART_CORS_ALLOWED_ORIGINS): what a browser needs from a preflight and an answer, and what others get.

The real browser run is tests/integration/http/test_cors_browser.py."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings, SettingsError
from tests.integration.conftest import make_settings

ORIGINS = ("https://shop.example.in", "http://localhost:*")
HEADERS = "authorization, content-type, idempotency-key, x-device-type, x-device-id, x-request-id"


def _preflight(origin: str, method: str = "POST", headers: str = HEADERS) -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers}


@pytest.fixture
async def cors_client(database_url: str) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    settings = make_settings(
        database_url, cors_allowed_origins=ORIGINS, rate_limit_enabled=True, rate_limit_multiplier=0.05
    )
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        yield client


@pytest.mark.parametrize("origin", ["https://shop.example.in", "http://localhost:5173", "http://localhost"])
async def test_an_allowed_origins_preflight_gets_what_the_browser_needs(
    cors_client: AsyncTestClient,
    origin: str,  # type: ignore[type-arg]
) -> None:
    response = await cors_client.options("/api/auth/orders/", headers=_preflight(origin))
    assert response.status_code == 204, response.text
    assert response.headers["access-control-allow-origin"] == origin
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {h.strip() for h in HEADERS.split(",")} <= allowed
    methods = set(response.headers["access-control-allow-methods"].split(", "))
    assert {"GET", "POST", "PATCH", "DELETE"} <= methods
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://localhost.evil.example", "http://127.0.0.1:5173", "null"]
)
async def test_another_origin_gets_no_allow_origin(cors_client: AsyncTestClient, origin: str) -> None:  # type: ignore[type-arg]
    preflight = await cors_client.options("/api/auth/orders/", headers=_preflight(origin))
    assert "access-control-allow-origin" not in preflight.headers
    answer = await cors_client.get("/api/auth/health/", headers={"Origin": origin})
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers


async def test_an_answer_exposes_the_rate_limit_and_request_id_headers(cors_client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await cors_client.get("/api/auth/health/", headers={"Origin": "https://shop.example.in"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://shop.example.in"
    exposed = set(response.headers["access-control-expose-headers"].split(", "))
    assert exposed == {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After", "X-Request-ID"}
    assert "x-ratelimit-limit" in response.headers and "x-request-id" in response.headers


async def test_preflights_are_never_rate_limited(cors_client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    # The anonymous tier is 50 a minute, 2 at this multiplier: a page's preflights must not spend it.
    for _ in range(10):
        response = await cors_client.options("/api/auth/jwt/", headers=_preflight("https://shop.example.in"))
        assert response.status_code == 204
        assert "x-ratelimit-remaining" not in response.headers
    answer = await cors_client.get("/api/auth/health/", headers={"Origin": "https://shop.example.in"})
    assert answer.status_code == 200


async def test_without_the_setting_nothing_changes(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    preflight = await client.options("/api/auth/orders/", headers=_preflight("https://shop.example.in"))
    assert preflight.status_code == 204
    assert not [name for name in preflight.headers if name.startswith("access-control-")]
    answer = await client.get("/api/auth/health/", headers={"Origin": "https://shop.example.in"})
    assert not [name for name in answer.headers if name.startswith("access-control-")]


@pytest.mark.parametrize(
    "value", ["https://shop.example.in/", "shop.example.in", "https://*.example.in", "https://a.in/path", "ftp://a.in"]
)
def test_a_value_that_is_not_an_origin_stops_the_service(value: str) -> None:
    with pytest.raises(SettingsError, match="S2CART_CORS_ALLOWED_ORIGINS"):
        Settings.from_env({"S2CART_CORS_ALLOWED_ORIGINS": f"http://localhost:*,{value}"})


def test_origins_are_a_comma_separated_list() -> None:
    settings = Settings.from_env({"S2CART_CORS_ALLOWED_ORIGINS": " https://a.in , http://127.0.0.1:* ,"})
    assert settings.cors_allowed_origins == ("https://a.in", "http://127.0.0.1:*")
    assert Settings.from_env({}).cors_allowed_origins == ()
