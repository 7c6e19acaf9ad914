from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar.testing import AsyncTestClient

from s2cart.domain.users.user import Tier
from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import bearer, jwt_login, new_identity, register, verified
from tests.integration.mailbox import Mailbox

LIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def limited(settings: Settings, **changes: object) -> Settings:
    values: dict[str, object] = {"rate_limit_enabled": True, **changes}
    return make_settings(settings.database_url, smtp_host=settings.smtp_host, smtp_port=settings.smtp_port, **values)


def peer(settings: Settings, address: str) -> httpx.AsyncClient:
    """A client whose socket address the test chooses (the test client's is not an IP)."""
    transport = httpx.ASGITransport(app=create_app(settings), client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create_app(limited(settings)), base_url="http://testserver.local") as c:
        yield c


def assert_limit_headers(response: httpx.Response) -> None:
    for header in LIMIT_HEADERS:
        assert header in response.headers, (header, dict(response.headers))
    assert int(response.headers["x-ratelimit-reset"]) >= int(time.time())
    assert 0 <= int(response.headers["x-ratelimit-remaining"]) <= int(response.headers["x-ratelimit-limit"])


async def test_the_fourth_sign_in_in_a_minute_is_refused(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    body = {"email": "someone@example.com", "password": "Whatever-123"}
    for _ in range(3):
        response = await client.post("/api/auth/jwt/", json=body)
        assert response.status_code == 400
        assert response.headers["x-ratelimit-limit"] == "3"
    refused = await client.post("/api/auth/jwt/", json=body)
    assert refused.status_code == 429
    payload = refused.json()
    assert (payload["status"], payload["code"], payload["message"]) == ("error", 429, "Rate limit exceeded")
    assert payload["limit_type"] == "login"
    assert payload["current_usage"] == "4/3"
    assert 0 < payload["retry_after"] <= 60
    assert refused.headers["retry-after"] == str(payload["retry_after"])
    assert refused.headers["x-ratelimit-remaining"] == "0"


async def test_registration_is_five_an_hour(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    for _ in range(5):
        assert (await register(client, **new_identity("limit"))).status_code == 201
    refused = await register(client, **new_identity("limit"))
    assert refused.status_code == 429
    assert refused.json()["limit_type"] == "registration"


async def test_a_refused_request_does_no_work(client: AsyncTestClient, mailbox: Mailbox) -> None:  # type: ignore[type-arg]
    for _ in range(5):
        await register(client, **new_identity("work"))
    identity = new_identity("work")
    assert (await register(client, **identity)).status_code == 429
    assert mailbox.messages_to(identity["email"]) == []
    login = await client.post("/api/auth/jwt/", json={"email": identity["email"], "password": identity["password"]})
    assert login.json()["error_code"] == "AUTH_001"  # no account was created


async def test_headers_on_success_and_on_errors(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    for response in (
        await client.get("/api/auth/health/"),
        await client.get("/api/auth/profile/"),
        await client.get("/api/auth/no-such-route/"),
        await client.delete("/api/auth/health/"),
    ):
        assert response.status_code in (200, 401, 404, 405)
        assert_limit_headers(response)  # type: ignore[arg-type]


async def test_anonymous_tier_by_address(settings: Settings) -> None:
    # multiplier 0.1: anonymous 5/minute; the API root's own limit is 10/minute
    async with AsyncTestClient(app=create_app(limited(settings, rate_limit_multiplier=0.1))) as client:
        for _ in range(5):
            assert (await client.get("/api/auth/")).status_code == 200
        refused = await client.get("/api/auth/")
        assert refused.status_code == 429
        assert refused.json()["limit_type"] == "anonymous"


async def test_authenticated_and_premium_tiers_by_user(settings: Settings, mailbox: Mailbox) -> None:
    # multiplier 0.05: standard users 10/minute, premium 25/minute
    app_settings = limited(settings, rate_limit_multiplier=0.05)
    container = build_container(app_settings)
    async with AsyncTestClient(app=create_app(settings)) as setup:
        account = await verified(setup, mailbox)
        headers = bearer((await jwt_login(setup, account))["access"])
    async with AsyncTestClient(app=create_app(container=container)) as client:
        statuses = [(await client.get("/api/auth/profile/", headers=headers)).status_code for _ in range(11)]
        assert statuses == [200] * 10 + [429]
        refused = await client.get("/api/auth/profile/", headers=headers)
        assert refused.json()["limit_type"] == "user"

        await container.set_user_tier()(account.email, Tier.PREMIUM)
        # A tier change starts a budget of its own: 25 a minute.
        statuses = [(await client.get("/api/auth/profile/", headers=headers)).status_code for _ in range(26)]
        assert statuses == [200] * 25 + [429]
        assert (await client.get("/api/auth/profile/", headers=headers)).json()["limit_type"] == "premium"


async def test_an_untrusted_peer_cannot_choose_its_address(settings: Settings) -> None:
    async with peer(limited(settings), "203.0.113.9") as client:
        body = {"email": "x@example.com", "password": "Whatever-123"}
        statuses = []
        for n in range(4):
            headers = {"X-Forwarded-For": f"198.51.100.{n}"}
            response = await client.post("/api/auth/jwt/", json={**body, "email": f"x{n}@example.com"}, headers=headers)
            statuses.append(response.status_code)
        assert statuses == [400, 400, 400, 429]


async def test_behind_a_trusted_proxy_the_forwarded_client_counts(settings: Settings) -> None:
    trusted = limited(settings, trusted_proxies=("10.0.0.0/8",))
    async with peer(trusted, "10.0.0.5") as client:
        for n in range(4):
            # each client is a different address behind the proxy; a spoofed left-most entry is ignored
            headers = {"X-Forwarded-For": f"1.2.3.4, 198.51.100.{n}, 10.0.0.7"}
            response = await client.post(
                "/api/auth/jwt/", json={"email": f"y{n}@example.com", "password": "Whatever-123"}, headers=headers
            )
            assert response.status_code == 400
        same = {"X-Forwarded-For": "198.51.100.0"}
        for _ in range(2):
            await client.post("/api/auth/jwt/", json={"email": "z@example.com", "password": "W-123456"}, headers=same)
        refused = await client.post(
            "/api/auth/jwt/", json={"email": "w@example.com", "password": "W-123456"}, headers=same
        )
        assert refused.status_code == 429


async def test_one_account_is_limited_whatever_the_address(settings: Settings) -> None:
    trusted = limited(settings, trusted_proxies=("10.0.0.0/8",))
    async with peer(trusted, "10.0.0.5") as client:
        statuses = []
        for n in range(4):
            response = await client.post(
                "/api/auth/jwt/",
                json={"email": "Victim@Example.com", "password": f"Guess-{n}-xxxx"},
                headers={"X-Forwarded-For": f"198.51.100.{10 + n}"},
            )
            statuses.append(response.status_code)
        assert statuses == [400, 400, 400, 429]


async def test_disabled_limits_still_send_headers(settings: Settings) -> None:
    async with AsyncTestClient(app=create_app(limited(settings, rate_limit_enabled=False))) as client:
        for _ in range(5):
            response = await client.post("/api/auth/jwt/", json={"email": "a@example.com", "password": "W-1234567"})
            assert response.status_code == 400
            assert_limit_headers(response)  # type: ignore[arg-type]
