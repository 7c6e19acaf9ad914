"""The session cache across workers: two app instances share the database and Redis, as two workers do."""

from __future__ import annotations

from datetime import UTC, datetime

from dependency_injector import providers
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from s2cart.adapters.persistence.tables.accounts import sessions
from s2cart.entrypoints.container import Container, build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import Client, bearer, jwt_login, registered, verified
from tests.integration.mailbox import Mailbox


def cached(settings: Settings, redis_url: str, seconds: int = 300) -> Settings:
    return make_settings(
        settings.database_url,
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        redis_url=redis_url,
        session_cache_seconds=seconds,
    )


async def _status(client: Client, token: str) -> int:
    return (await client.get("/api/auth/carts/", headers=bearer(token))).status_code


async def _revoke_behind_s2carts_back(container: Container, session_id: str) -> None:
    async with container.engine().begin() as connection:
        await connection.execute(
            update(sessions).where(sessions.c.id == session_id).values(revoked_at=datetime.now(UTC))
        )


async def test_a_logout_in_one_worker_ends_the_session_cached_by_another(
    settings: Settings, redis_url: str, mailbox: Mailbox
) -> None:
    config = cached(settings, redis_url)
    first, second = build_container(config), build_container(config)
    async with (
        AsyncTestClient(app=create_app(container=first)) as one,
        AsyncTestClient(app=create_app(container=second)) as two,
    ):
        tokens = await jwt_login(one, await verified(one, mailbox))
        assert await _status(two, tokens["access"]) == 200  # now cached by the second worker
        session_id = (await one.get("/api/auth/jwt/sessions/", headers=bearer(tokens["access"]))).json()["data"][0][
            "id"
        ]

        # Proof that the second worker answers from its cache: a revocation written around S2Cart (no epoch
        # advanced) is not seen there, while a worker without the cache sees it.
        await _revoke_behind_s2carts_back(first, session_id)
        assert await _status(two, tokens["access"]) == 200
        async with AsyncTestClient(app=create_app(cached(settings, redis_url, seconds=0))) as uncached:
            assert await _status(uncached, tokens["access"]) == 401

        other = await jwt_login(one, await verified(one, mailbox))
        assert await _status(two, other["access"]) == 200
        logout = await one.post("/api/auth/jwt/logout/", headers=bearer(other["access"]), json={})
        assert logout.status_code == 200
        # The logout advanced the epoch: the second worker's next request reads the database.
        assert await _status(two, other["access"]) == 401
        assert await _status(two, tokens["access"]) == 401


async def test_a_password_reset_in_one_worker_ends_every_session_another_has_cached(
    settings: Settings, redis_url: str, mailbox: Mailbox
) -> None:
    config = cached(settings, redis_url)
    async with AsyncTestClient(app=create_app(config)) as one, AsyncTestClient(app=create_app(config)) as two:
        account = await verified(one, mailbox)
        web, phone = (
            await jwt_login(one, account),
            await jwt_login(one, account, device_type="ANDROID", device_id="phone-1"),
        )
        assert [await _status(two, web["access"]), await _status(two, phone["access"])] == [200, 200]
        await one.post("/api/auth/password-reset/request/", json={"email": account.email})
        mail = mailbox.wait_for(account.email, 2)[-1]
        confirm = await one.post(
            "/api/auth/password-reset/confirm/", json={"token": mail.reset_token, "password": "Brand-New-Pass-42"}
        )
        assert confirm.status_code == 200
        assert [await _status(two, web["access"]), await _status(two, phone["access"])] == [401, 401]


async def test_verifying_in_one_worker_lets_the_registration_token_in_at_another(
    settings: Settings, redis_url: str, mailbox: Mailbox
) -> None:
    config = cached(settings, redis_url)
    async with AsyncTestClient(app=create_app(config)) as one, AsyncTestClient(app=create_app(config)) as two:
        account = await registered(one, mailbox)
        assert await _status(two, account.registration_token) == 403  # unverified, and now cached that way
        otp = mailbox.last_to(account.email).otp
        verify = await one.post("/api/auth/verify/otp/", json={"email": account.email, "otp": otp})
        assert verify.status_code == 200
        assert await _status(two, account.registration_token) == 200


async def test_with_redis_unreachable_every_request_reads_the_database_and_revocations_fail_closed(
    settings: Settings, mailbox: Mailbox
) -> None:
    config = cached(settings, "redis://127.0.0.1:1/0")
    async with AsyncTestClient(app=create_app(settings)) as without_redis:
        account = await verified(without_redis, mailbox)
    async with AsyncTestClient(app=create_app(config)) as client:
        tokens = await jwt_login(client, account)
        assert await _status(client, tokens["access"]) == 200
        # No other worker could be told, so the logout is refused rather than half done (decision 0022).
        logout = await client.post("/api/auth/jwt/logout/", headers=bearer(tokens["access"]), json={})
        assert (logout.status_code, logout.json()["error_code"]) == (503, "SYS_503")
        assert await _status(client, tokens["access"]) == 200


class CountingEpoch:
    def __init__(self) -> None:
        self.advanced = 0
        self.open: set[str] = set()

    async def current(self) -> str | None:
        return None if self.open else str(self.advanced)

    async def begin_change(self) -> str:
        self.advanced += 1
        fence = f"fence-{self.advanced}"
        self.open.add(fence)
        return fence

    async def end_change(self, fence: str) -> None:
        self.open.remove(fence)


async def test_only_commits_that_end_sessions_or_change_principals_advance_the_epoch(
    container: Container, mailbox: Mailbox
) -> None:
    epoch = CountingEpoch()
    container.auth_epoch.override(providers.Object(epoch))
    async with AsyncTestClient(app=create_app(container=container)) as client:
        account = await registered(client, mailbox)
        assert epoch.advanced == 0
        otp = mailbox.last_to(account.email).otp
        assert (
            await client.post("/api/auth/verify/otp/", json={"email": account.email, "otp": otp})
        ).status_code == 200
        assert epoch.advanced == 1  # is_verified changed
        tokens = await jwt_login(client, account)
        refreshed = await client.post("/api/auth/jwt/refresh/", json={"refresh": tokens["refresh"]})
        assert refreshed.status_code == 200
        await client.post("/api/auth/cart/items/", headers=bearer(tokens["access"]), json={"store_id": "x"})
        assert epoch.advanced == 1  # sign-in, refresh and ordinary writes leave every cache alone
        logout = await client.post("/api/auth/jwt/logout/", headers=bearer(refreshed.json()["data"]["access"]), json={})
        assert logout.status_code == 200
        assert (epoch.advanced, epoch.open) == (2, set())  # every fence opened was lifted
