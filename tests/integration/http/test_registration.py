from __future__ import annotations

import asyncio

import pytest
from litestar import Litestar

from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import PASSWORD, Client, new_identity, register, registered
from tests.integration.http.customers import concurrent_client
from tests.integration.mailbox import Mailbox


async def test_register_answers_the_contract_body_and_mails_both_codes(client: Client, mailbox: Mailbox) -> None:
    identity = new_identity()
    response = await register(client, **identity, phone_number="+919876543210")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["code"]) == ("success", 201)
    data = body["data"]
    assert set(data) == {
        "user",
        "token",
        "expires_at",
        "message",
        "verification_method",
        "otp_expires_in",
        "email_sent",
    }
    assert data["user"]["username"] == identity["username"]
    assert data["user"]["is_verified"] is False
    assert data["user"]["phone_number"] == "+919876543210"
    assert "password" not in str(data["user"]) and "hash" not in str(data["user"])
    assert data["verification_method"] == "Both OTP and Token available"
    assert data["otp_expires_in"] == "25 minutes"
    assert data["email_sent"] is True
    assert len(data["token"]) == 40

    mail = mailbox.last_to(identity["email"])
    assert len(mail.otp) == 6
    token = mail.link_token
    assert f"http://testserver.local/api/auth/verify/{token}/" in mail.text
    assert f"s2cart://verify?token={token}&amp;otp={mail.otp}" in mail.html or "s2cart" in mail.html
    assert f"s2cart://verify?token={token}&otp={mail.otp}" in mail.text
    assert "Open in S2Cart App" in mail.html and "Verify in Browser" in mail.html
    assert "package=com.s2cart" in mail.html and "play.google.com" in mail.html


async def test_a_bare_ten_digit_mobile_is_normalised(client: Client) -> None:
    response = await register(client, **new_identity(), phone_number="98765 43210")
    assert response.json()["data"]["user"]["phone_number"] == "+919876543210"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "ab"}, "username"),
        ({"username": "bad name!"}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"password": "short1!"}, "password"),
        ({"password": "1234567890123"}, "password"),
        ({"password": "password123"}, "password"),
        ({"phone_number": "+9112345"}, "phone_number"),
        ({"phone_number": "5876543210"}, "phone_number"),
    ],
)
async def test_invalid_fields_are_400_by_field(client: Client, overrides: dict[str, str], field: str) -> None:
    response = await register(client, **{**new_identity(), **overrides})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "error"
    assert field in body["errors"], body


async def test_a_password_like_the_username_is_refused(client: Client) -> None:
    identity = new_identity("meenakshi")
    response = await register(client, **{**identity, "password": identity["username"] + "1"})
    assert response.status_code == 400
    assert "too similar" in " ".join(response.json()["errors"]["password"])


async def test_every_problem_is_reported_at_once(client: Client) -> None:
    response = await register(client, username="x", email="nope", password="123")
    assert {"username", "email", "password"} <= set(response.json()["errors"])


async def test_username_and_email_are_unique_case_insensitively(client: Client, mailbox: Mailbox) -> None:
    account = await registered(client, mailbox)
    again = await register(client, username=account.username.upper(), email=account.email.upper(), password=PASSWORD)
    assert again.status_code == 400
    assert set(again.json()["errors"]) == {"username", "email"}


async def test_missing_and_mistyped_fields_are_400(client: Client) -> None:
    response = await client.post("/api/auth/register/", json={"username": "someone", "password": 12345678})
    assert response.status_code == 400
    assert response.json()["errors"]


async def test_parallel_registrations_with_one_email_create_one_user(
    app: Litestar, container: Container, mailbox: Mailbox
) -> None:
    identity = new_identity("race")
    # A client whose requests really overlap (Litestar's test client serves one at a time).
    async with concurrent_client(app, container) as client:

        async def attempt(n: int) -> int:
            response = await register(client, username=f"race_user_{n}", email=identity["email"], password=PASSWORD)  # type: ignore[arg-type]
            return int(response.status_code)

        statuses = await asyncio.gather(*(attempt(n) for n in range(20)))
        assert sorted(statuses) == [201] + [400] * 19
        login = await client.post("/api/auth/jwt/", json={"email": identity["email"], "password": PASSWORD})
        assert login.json()["error_code"] == "AUTH_002"  # exactly one account exists, unverified
