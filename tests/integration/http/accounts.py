"""Shared steps for account and session tests: register, verify, sign in, as a client would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.integration.mailbox import Mailbox

Client = AsyncTestClient[Litestar]
PASSWORD = "Blue-Mango-Kite-42!"
_serial = itertools.count(1)


@dataclass
class Account:
    username: str
    email: str
    password: str
    registration_token: str
    user_id: int


def new_identity(prefix: str = "user") -> dict[str, str]:
    n = next(_serial)
    return {"username": f"{prefix}{n}", "email": f"{prefix}{n}@example.com", "password": PASSWORD}


async def register(client: Client, **overrides: Any) -> Any:
    body = {**new_identity(), "first_name": "Asha", "last_name": "Rao", **overrides}
    return await client.post("/api/auth/register/", json=body)


async def registered(client: Client, mailbox: Mailbox, **overrides: Any) -> Account:
    body = {**new_identity(), **overrides}
    response = await register(client, **body)
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    return Account(body["username"], body["email"], body["password"], data["token"], data["user"]["id"])


async def verified(client: Client, mailbox: Mailbox, **overrides: Any) -> Account:
    account = await registered(client, mailbox, **overrides)
    otp = mailbox.last_to(account.email).otp
    response = await client.post("/api/auth/verify/otp/", json={"email": account.email, "otp": otp})
    assert response.status_code == 200, response.text
    return account


async def jwt_login(client: Client, account: Account, **extra: Any) -> dict[str, Any]:
    body = {"email": account.email, "password": account.password, **extra}
    response = await client.post("/api/auth/jwt/", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json()["data"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
