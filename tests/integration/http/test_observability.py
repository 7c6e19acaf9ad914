"""The access log, /metrics and liveness, through the app as a client and a monitor see them."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from s2cart.application.ports.outbox import OutboxMessage
from s2cart.entrypoints.container import Container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.logs import JsonFormatter, configure_logging, redact
from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox

Client = AsyncTestClient[Litestar]


def access_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "s2cart.requests"]


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text (0 when the series does not exist yet)."""
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if match and dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or "")) == labels:
            return float(match.group(2))
    return 0.0


async def test_one_access_line_per_request_with_user_route_status_and_latency(
    client: Client, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    account = await verified(client, mailbox)
    tokens = await jwt_login(client, account)
    caplog.clear()
    caplog.set_level(logging.INFO, logger="s2cart.requests")

    response = await client.get("/api/auth/profile/?token=query-secret-123", headers=bearer(tokens["access"]))

    assert response.status_code == 200
    [record] = access_records(caplog)
    fields = {k: getattr(record, k) for k in ("method", "route", "status", "user_id", "request_id")}
    assert fields == {
        "method": "GET",
        "route": "/api/auth/profile",
        "status": 200,
        "user_id": account.user_id,
        "request_id": response.headers["x-request-id"],
    }
    assert 0 < record.latency_ms < 10_000
    line = JsonFormatter().format(record)
    assert '"route": "/api/auth/profile"' in line and f'"user_id": {account.user_id}' in line
    assert tokens["access"] not in line and "query-secret-123" not in line and account.password not in line


async def test_unmatched_paths_are_logged_by_status_never_by_path(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="s2cart.requests")
    missing = await client.get("/api/auth/verify-link/secret-link-token-42/")
    wrong_method = await client.delete("/api/auth/health/")
    records = access_records(caplog)
    assert [(r.status, r.route, r.user_id) for r in records] == [(404, "unmatched", None), (405, "unmatched", None)]
    assert [r.request_id for r in records] == [missing.headers["x-request-id"], wrong_method.headers["x-request-id"]]
    assert all("secret-link-token-42" not in JsonFormatter().format(r) for r in records)


def test_redaction_skips_plain_lines_and_still_catches_every_spelling() -> None:
    plain = '{"logger": "s2cart.requests", "message": "GET /api/auth/carts 200 1.20ms user=7"}'
    assert redact(plain) == plain
    for secret in ("api_key=k-123", "API-KEY: k-123", "apikey=k-123", "merchant_key=k-123", "card-number=k-123"):
        assert "k-123" not in redact(secret), secret
    assert "abcdefgh123" not in redact("Authorization: Bearer abcdefgh123")


async def test_the_access_log_can_be_turned_off(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="s2cart.requests")
    async with AsyncTestClient(app=create_app(make_settings(settings.database_url, access_log=False))) as quiet:
        assert (await quiet.get("/api/auth/live/")).status_code == 200
    assert access_records(caplog) == []


async def test_metrics_count_requests_by_route_template_and_status(client: Client, container: Container) -> None:
    before = (await client.get("/metrics")).text
    for _ in range(2):
        assert (await client.get("/api/auth/health/")).status_code == 200
    await client.get("/api/auth/verify/some-token/")
    async with container.uow() as uow:
        message = OutboxMessage(topic="mail", payload={"sealed": "x"}, created_at=datetime.now(UTC))
        await uow.outbox.add(message)
        await uow.commit()

    scraped = await client.get("/metrics")

    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    after = scraped.text
    health = {"method": "GET", "route": "/api/auth/health", "status": "200"}
    assert (
        sample(after, "s2cart_http_requests_total", **health)
        == sample(before, "s2cart_http_requests_total", **health) + 2
    )
    assert sample(after, "s2cart_http_request_duration_seconds_count", **health) >= 2
    assert (
        sample(after, "s2cart_http_requests_total", method="GET", route="/api/auth/verify/{token}", status="400") == 1
    )
    assert sample(after, "s2cart_outbox_pending") == 1
    assert "some-token" not in after


async def test_429s_are_counted_and_monitoring_is_never_rate_limited(settings: Settings) -> None:
    # A tenth of every limit: 5 anonymous requests a minute, one sign-in a minute.
    strict = make_settings(settings.database_url, rate_limit_enabled=True, rate_limit_multiplier=0.1)
    async with AsyncTestClient(app=create_app(strict), base_url="http://testserver.local") as client:
        body = {"email": "nobody@example.com", "password": "Whatever-123"}
        statuses = [(await client.post("/api/auth/jwt/", json=body)).status_code for _ in range(2)]
        assert statuses == [400, 429]
        monitored = [await client.get(path) for path in ["/api/auth/live/", "/metrics"] * 10]
        assert [r.status_code for r in monitored] == [200] * 20
        assert all("x-ratelimit-limit" not in r.headers for r in monitored)
        assert [(await client.get("/api/auth/")).status_code for _ in range(5)][-1] == 429  # limits still hold
        text = (await client.get("/metrics")).text
    assert sample(text, "s2cart_rate_limited_total", route="/api/auth/jwt", limit_type="login") == 1
    assert sample(text, "s2cart_rate_limited_total", route="/api/auth", limit_type="anonymous") >= 1
    assert sample(text, "s2cart_http_requests_total", method="POST", route="/api/auth/jwt", status="429") == 1


async def test_liveness_answers_while_the_database_is_away() -> None:
    away = make_settings("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    async with AsyncTestClient(app=create_app(away)) as client:
        live = await client.get("/api/auth/live/")
        ready = await client.get("/api/auth/health/")
        scraped = await client.get("/metrics")
    assert (live.status_code, live.json()) == (200, {"status": "alive"})
    assert ready.status_code == 503
    assert scraped.status_code == 200
    assert "s2cart_outbox_pending" not in scraped.text  # not measured, rather than a made-up zero


async def test_the_app_keeps_the_s2cart_log_handler(settings: Settings) -> None:
    root = logging.getLogger()
    configure_logging("INFO", "json")
    try:
        async with AsyncTestClient(app=create_app(settings)):
            handlers = [h for h in root.handlers if getattr(h, "_s2cart", False)]
        assert len(handlers) == 1
        assert isinstance(handlers[0].formatter, JsonFormatter)
    finally:
        for handler in [h for h in root.handlers if getattr(h, "_s2cart", False)]:
            root.removeHandler(handler)
