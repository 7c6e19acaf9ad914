"""The operator commands, run as an operator would: the console script against a real database."""

from __future__ import annotations

import os
import subprocess
from dataclasses import asdict
from datetime import UTC, datetime

import pytest
from litestar.testing import AsyncTestClient

from s2cart.application.ports.mail import Mail
from s2cart.application.ports.outbox import OutboxMessage
from s2cart.entrypoints.container import build_container, close_resources
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.cli_runner import run_cli
from tests.integration.http.accounts import bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox


def s2cart(
    settings: Settings, *args: str, env_extra: dict[str, str] | None = None, process: bool = False
) -> subprocess.CompletedProcess[str]:
    """``s2cart *args`` against ``settings``' database and mail server: in-process, or the real script (process)."""
    env = {
        **os.environ,
        "S2CART_DATABASE_URL": settings.database_url,
        "S2CART_SMTP_HOST": settings.smtp_host or "",
        "S2CART_SMTP_PORT": str(settings.smtp_port),
        "S2CART_JWT_SECRET": settings.jwt_secret,
        **(env_extra or {}),
    }
    return run_cli(args, env, process=process)


@pytest.mark.usefixtures("mailbox")
async def test_users_and_sessions_commands(settings: Settings, mailbox: Mailbox) -> None:
    async with AsyncTestClient(app=create_app(settings)) as client:
        account = await verified(client, mailbox)
        tokens = await jwt_login(client, account, device_type="WEB")

        shown = s2cart(settings, "users", "show", account.email)
        assert shown.returncode == 0, shown.stderr
        assert f"email={account.email}" in shown.stdout and "tier=standard" in shown.stdout
        assert "argon2" not in shown.stdout

        tiered = s2cart(settings, "users", "set-tier", account.email, "premium")
        assert "is now premium" in tiered.stdout
        assert "tier=premium" in s2cart(settings, "users", "show", account.email).stdout

        for _ in range(5):
            await client.post("/api/auth/jwt/", json={"email": account.email, "password": "Wrong-Password-9"})
        assert "locked_until=no" not in s2cart(settings, "users", "show", account.email).stdout
        assert s2cart(settings, "users", "unlock", account.email).returncode == 0
        assert "locked_until=no" in s2cart(settings, "users", "show", account.email).stdout

        revoked = s2cart(settings, "sessions", "revoke", account.email, "--device-type", "WEB")
        assert "revoked 1 sessions" in revoked.stdout
        assert (await client.get("/api/auth/profile/", headers=bearer(tokens["access"]))).status_code == 401
        cleanup = s2cart(settings, "sessions", "cleanup")
        assert "deleted 1 expired or revoked sessions" in cleanup.stdout

        missing = s2cart(settings, "users", "show", "nobody@example.com")
        assert missing.returncode == 1
        assert "No user" in missing.stderr


@pytest.mark.usefixtures("mailbox")
async def test_a_revocation_with_redis_unreachable_is_refused_and_revokes_nothing(
    settings: Settings, mailbox: Mailbox
) -> None:
    async with AsyncTestClient(app=create_app(settings)) as client:
        tokens = await jwt_login(client, await verified(client, mailbox))
        email = (await client.get("/api/auth/profile/", headers=bearer(tokens["access"]))).json()["data"]["email"]
        unreachable = {"S2CART_REDIS_URL": "redis://127.0.0.1:1/0"}
        refused = s2cart(settings, "sessions", "revoke", email, env_extra=unreachable, process=True)
        assert (refused.returncode, refused.stdout) == (1, "")
        assert "Service temporarily unavailable" in refused.stderr and "Traceback" not in refused.stderr
        assert (await client.get("/api/auth/profile/", headers=bearer(tokens["access"]))).status_code == 200


async def test_mail_flush_delivers_what_is_due(settings: Settings, mailbox: Mailbox) -> None:
    container = build_container(settings)
    mail = Mail(to="queued@example.com", subject="Queued", text="Your code: 424242", html="<p>424242</p>")
    async with container.uow() as uow:
        sealed = container.secret_box().seal(asdict(mail))
        await uow.outbox.add(OutboxMessage(topic="mail", payload={"sealed": sealed}, created_at=datetime.now(UTC)))
        await uow.commit()
    await close_resources(container)

    flushed = s2cart(settings, "mail", "flush", process=True)
    assert flushed.returncode == 0, flushed.stderr
    assert "delivered 1, failed 0" in flushed.stdout
    assert mailbox.last_to("queued@example.com").otp == "424242"
    assert "delivered 0, failed 0" in s2cart(settings, "mail", "flush").stdout
