"""AUTH_006: failed sign-ins are throttled per address AND account, so one shared address (a carrier's NAT) cannot
lock out honest customers; the address alone keeps a far higher ceiling, and both follow the rate-limit multiplier.
The 429 carries the same fields as every other 429."""

from __future__ import annotations

from typing import Any

import pytest

from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import Client, jwt_login, verified
from tests.integration.mailbox import Mailbox

TOO_MANY_KEYS = {"status", "code", "message", "errors", "timestamp", "error_code", "retry_after", "limit_type"}


def assert_throttled(response: Any, limit_type: str, usage: str) -> None:
    assert response.status_code == 429, response.text
    body = response.json()
    assert set(body) >= TOO_MANY_KEYS | {"current_usage"}, body
    assert body["status"] == "error" and body["code"] == 429 and body["error_code"] == "AUTH_006"
    assert body["limit_type"] == limit_type and body["current_usage"] == usage
    assert body["retry_after"] == int(response.headers["retry-after"]) > 0


async def fail(client: Client, email: str, times: int) -> list[Any]:
    return [
        await client.post("/api/auth/jwt/", json={"email": email, "password": "Guess-123456"}) for _ in range(times)
    ]


async def test_failures_for_one_account_do_not_block_another_from_the_same_address(
    client: Client, mailbox: Mailbox
) -> None:
    honest = await verified(client, mailbox)
    answers = await fail(client, "ghost@example.com", 25)
    assert [a.status_code for a in answers[:10]] == [400] * 10
    assert all(a.status_code == 429 for a in answers[10:])
    assert_throttled(answers[10], "login_address_account", "10/10")
    # The same address, another account: 25 failures from this address block no one else.
    await jwt_login(client, honest)
    # Another spelling of the same account is the same account.
    assert_throttled((await fail(client, " GHOST@example.com", 1))[0], "login_address_account", "10/10")


class TestTheMultiplier:
    @pytest.fixture
    def settings(self, database_url: str, smtp_server: Mailbox) -> Settings:
        # 0.05: the address ceiling of 200 becomes 10, the pair's 10 becomes 1 (never 0).
        return make_settings(
            database_url, smtp_host="127.0.0.1", smtp_port=smtp_server.port, rate_limit_multiplier=0.05
        )

    async def test_the_address_ceiling_follows_the_multiplier(self, client: Client, mailbox: Mailbox) -> None:
        honest = await verified(client, mailbox)
        for n in range(10):
            (answer,) = await fail(client, f"victim{n}@example.com", 1)
            assert answer.status_code == 400, answer.text
        blocked = await client.post("/api/auth/jwt/", json={"email": honest.email, "password": honest.password})
        assert_throttled(blocked, "login_address", "10/10")
        legacy = await client.post("/api/auth/login/", json={"email": honest.email, "password": honest.password})
        assert_throttled(legacy, "login_address", "10/10")

    async def test_the_pair_limit_follows_the_multiplier(self, client: Client) -> None:
        first, second = await fail(client, "ghost@example.com", 2)
        assert first.status_code == 400
        assert_throttled(second, "login_address_account", "1/1")


async def test_a_success_clears_the_pair_count(client: Client, mailbox: Mailbox) -> None:
    """Four typos then the right password, three times: 12 failures in 15 minutes, never 10 since a success."""
    honest = await verified(client, mailbox)
    for _ in range(3):
        assert [a.status_code for a in await fail(client, honest.email, 4)] == [400] * 4
        await jwt_login(client, honest)
