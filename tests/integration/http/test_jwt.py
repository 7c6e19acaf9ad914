from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from dependency_injector import providers
from litestar import Litestar
from sqlalchemy import event

from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import DEV_JWT_SECRET
from tests.fakes import FakeClock
from tests.integration.http.accounts import Client, bearer, jwt_login, registered, verified
from tests.integration.http.customers import concurrent_client
from tests.integration.mailbox import Mailbox


async def test_sign_in_returns_the_contract_body(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    response = await client.post(
        "/api/auth/jwt/",
        json={
            "email": account.email,
            "password": account.password,
            "device_type": "ANDROID",
            "device_id": "a-1",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Login successful"
    data = body["data"]
    assert set(data) == {"access", "refresh", "user", "device_type", "device_id"}
    assert (data["device_type"], data["device_id"]) == ("ANDROID", "a-1")
    assert data["user"]["email"] == account.email
    claims = jwt.decode(data["access"], options={"verify_signature": False})
    assert {"sub", "sid", "jti", "type", "iat", "exp", "iss", "aud"} <= set(claims)
    assert claims["type"] == "access"
    assert timedelta(days=7) - timedelta(seconds=5) <= timedelta(seconds=claims["exp"] - claims["iat"])


async def test_sign_in_by_username_and_device_from_headers(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    response = await client.post(
        "/api/auth/jwt/",
        json={"username": account.username.upper(), "password": account.password},
        headers={"X-Device-Type": "IOS", "X-Device-ID": "iphone-9", "X-App-Version": "2.1.0"},
    )
    assert response.status_code == 200
    assert (response.json()["data"]["device_type"], response.json()["data"]["device_id"]) == (
        "IOS",
        "iphone-9",
    )


async def test_mobile_devices_need_a_device_id(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    response = await client.post(
        "/api/auth/jwt/",
        json={"email": account.email, "password": account.password, "device_type": "ANDROID"},
    )
    assert response.status_code == 400
    assert "device_id" in response.json()["errors"]


async def test_wrong_password_and_unknown_user_answer_alike(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    wrong = await client.post("/api/auth/jwt/", json={"email": account.email, "password": "Not-The-Password-1"})
    unknown = await client.post("/api/auth/jwt/", json={"email": "ghost@example.com", "password": "Whatever-123"})
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json()["error_code"] == unknown.json()["error_code"] == "AUTH_001"
    assert wrong.json()["errors"] == unknown.json()["errors"]
    assert wrong.json()["message"] == unknown.json()["message"] == "Invalid credentials"


async def test_unverified_accounts_cannot_sign_in(client: Client, mailbox: Mailbox) -> None:
    account = await registered(client, mailbox)
    response = await client.post("/api/auth/jwt/", json={"email": account.email, "password": account.password})
    assert response.status_code == 403
    assert response.json()["error_code"] == "AUTH_002"


async def test_neither_username_nor_email_is_400(client: Client) -> None:
    response = await client.post("/api/auth/jwt/", json={"password": "whatever-it-is"})
    assert response.status_code == 400


async def test_refresh_rotates_and_the_old_token_is_spent(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    first = await jwt_login(client, account)
    response = await client.post("/api/auth/jwt/refresh/", json={"refresh": first["refresh"]})
    assert response.status_code == 200
    pair = response.json()["data"]
    assert set(pair) == {"access", "refresh"}
    assert pair["refresh"] != first["refresh"]
    assert (await client.get("/api/auth/profile/", headers=bearer(pair["access"]))).status_code == 200
    again = await client.post("/api/auth/jwt/refresh/", json={"refresh": first["refresh"]})
    assert again.status_code == 401


async def test_reuse_after_the_grace_window_revokes_the_family(
    client: Client, container: Container, mailbox: Mailbox
) -> None:
    clock = FakeClock(datetime.now(UTC) - timedelta(minutes=30))
    with container.clock.override(providers.Object(clock)):
        account = await verified(client, mailbox)
        first = await jwt_login(client, account)
        rotated = (await client.post("/api/auth/jwt/refresh/", json={"refresh": first["refresh"]})).json()["data"]
        clock.advance(seconds=5)
        race = await client.post("/api/auth/jwt/refresh/", json={"refresh": first["refresh"]})
        assert race.status_code == 401
        # within the grace window a repeat is refused but the family lives on
        assert (await client.get("/api/auth/profile/", headers=bearer(rotated["access"]))).status_code == 200
        clock.advance(minutes=2)
        theft = await client.post("/api/auth/jwt/refresh/", json={"refresh": first["refresh"]})
        assert theft.status_code == 401
        assert (await client.get("/api/auth/profile/", headers=bearer(rotated["access"]))).status_code == 401
        stolen_pair = await client.post("/api/auth/jwt/refresh/", json={"refresh": rotated["refresh"]})
        assert stolen_pair.status_code == 401


async def test_parallel_refreshes_with_one_token_have_one_winner(
    app: Litestar, container: Container, mailbox: Mailbox
) -> None:
    # A client whose requests really overlap (Litestar's test client serves one at a time).
    async with concurrent_client(app, container) as client:
        account = await verified(client, mailbox)  # type: ignore[arg-type]
        tokens = await jwt_login(client, account)  # type: ignore[arg-type]
        responses = await asyncio.gather(
            *(client.post("/api/auth/jwt/refresh/", json={"refresh": tokens["refresh"]}) for _ in range(20))
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] + [401] * 19, statuses
        winner = next(r for r in responses if r.status_code == 200).json()["data"]
        assert (await client.get("/api/auth/profile/", headers=bearer(winner["access"]))).status_code == 200
        assert (await client.post("/api/auth/jwt/refresh/", json={"refresh": winner["refresh"]})).status_code == 200


async def test_a_refresh_that_succeeds_is_one_statement_and_a_failed_one_says_why(
    client: Client, container: Container, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []
    transactions: list[str] = []
    pings: list[object] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(" ".join(statement.split())[:30])

    def begin(conn: Any) -> None:
        transactions.append("BEGIN")

    def commit(conn: Any) -> None:
        transactions.append("COMMIT")

    account = await verified(client, mailbox)
    first = await jwt_login(client, account)
    engine = container.engine().sync_engine
    ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: pings.append(connection) or ping(connection))
    listeners = (("before_cursor_execute", count), ("begin", begin), ("commit", commit))
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        response = await client.post("/api/auth/jwt/refresh/", json={"refresh": first["refresh"]})
        assert response.status_code == 200
        assert len(statements) == 1 and statements[0].startswith("UPDATE sessions SET"), statements
        # On PostgreSQL the swap commits itself (AUTOCOMMIT, decision 0046): no BEGIN and no COMMIT around it.
        assert transactions == ([] if engine.dialect.name == "postgresql" else ["BEGIN", "COMMIT"]), transactions
        if engine.dialect.name == "postgresql":
            # On the readers' driver pool (decision 0049), not a checkout of the units of work's pool: no pre-ping.
            assert pings == [], pings
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)
    # A session past its expiry is not rotated by the swap, and the read after it names the reason.
    rotated = response.json()["data"]
    clock = FakeClock(datetime.now(UTC) + timedelta(days=400))
    with container.clock.override(providers.Object(clock)):
        late = await client.post("/api/auth/jwt/refresh/", json={"refresh": rotated["refresh"]})
    assert late.status_code == 401
    assert "Session has ended" in late.text, late.text


async def test_verify_endpoint(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    tokens = await jwt_login(client, account)
    ok = await client.post("/api/auth/jwt/verify/", json={"token": tokens["access"]})
    assert ok.status_code == 200
    assert ok.json()["message"] == "Token is valid"
    assert (await client.post("/api/auth/jwt/verify/", json={"token": tokens["refresh"]})).status_code == 200
    bad = await client.post("/api/auth/jwt/verify/", json={"token": "abc.def.ghi"})
    assert bad.status_code == 401


def _forge(claims: dict[str, object], key: str = DEV_JWT_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def _none_token(claims: dict[str, object]) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda c: _none_token(c), "AUTH_005"),
        (lambda c: _forge(c, key="another-secret-of-sufficient-length-xx"), "AUTH_005"),
        (lambda c: _forge({**c, "type": "refresh"}), "AUTH_005"),
        (lambda c: _forge({**c, "iss": "someone-else"}), "AUTH_005"),
        (lambda c: _forge({**c, "aud": "another-api"}), "AUTH_005"),
        (lambda c: _forge({k: v for k, v in c.items() if k != "jti"}), "AUTH_005"),
        (lambda c: _forge({**c, "iat": c["iat"] - 9 * 86400, "exp": c["exp"] - 8 * 86400}), "AUTH_004"),
        (lambda c: "garbage", "AUTH_005"),
    ],
)
async def test_forged_expired_and_malformed_tokens_are_401(
    client: Client, mailbox: Mailbox, mutate: object, code: str
) -> None:
    account = await verified(client, mailbox)
    tokens = await jwt_login(client, account)
    claims = jwt.decode(tokens["access"], options={"verify_signature": False})
    token = mutate(claims)  # type: ignore[operator]
    response = await client.get("/api/auth/profile/", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["error_code"] == code
    assert response.json()["status"] == "error"
