from __future__ import annotations

from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox

NEW_PASSWORD = "Saffron-River-Lamp-77"
SAME_ANSWER = {
    "status": "success",
    "code": 200,
    "message": "If your email exists in our system, password reset instructions will be sent.",
    "reset_method": "Both OTP and Token available",
    "otp_expires_in": "25 minutes",
}


async def _request(client: Client, email: str) -> dict[str, object]:
    response = await client.post("/api/auth/password-reset/request/", json={"email": email})
    assert response.status_code == 200
    return dict(response.json())


async def test_the_answer_is_the_same_for_known_and_unknown_emails(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    assert await _request(client, account.email) == SAME_ANSWER
    assert await _request(client, "nobody-here@example.com") == SAME_ANSWER
    assert mailbox.messages_to("nobody-here@example.com") == []


async def test_reset_by_token_ends_every_session(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    tokens = await jwt_login(client, account)
    await _request(client, account.email)
    mail = mailbox.wait_for(account.email, 2)[-1]
    assert "s2cart://reset-password?token=" in mail.text

    response = await client.post(
        "/api/auth/password-reset/confirm/", json={"token": mail.reset_token, "password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["verification_method"] == "token"
    assert (await client.get("/api/auth/profile/", headers=bearer(tokens["access"]))).status_code == 401
    old = await client.post("/api/auth/jwt/", json={"email": account.email, "password": account.password})
    assert old.status_code == 400
    account.password = NEW_PASSWORD
    await jwt_login(client, account)
    again = await client.post(
        "/api/auth/password-reset/confirm/",
        json={"token": mail.reset_token, "password": "Another-Fine-Pass-9"},
    )
    assert again.status_code == 400


async def test_reset_by_otp(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    await _request(client, account.email)
    mail = mailbox.wait_for(account.email, 2)[-1]
    response = await client.post(
        "/api/auth/password-reset/confirm/",
        json={"email": account.email, "otp": mail.otp, "password": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.json()["verification_method"] == "otp"
    account.password = NEW_PASSWORD
    await jwt_login(client, account)


async def test_reset_obeys_the_password_rules(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    await _request(client, account.email)
    mail = mailbox.wait_for(account.email, 2)[-1]
    weak = await client.post(
        "/api/auth/password-reset/confirm/", json={"token": mail.reset_token, "password": "12345678"}
    )
    assert weak.status_code == 400
    assert "password" in weak.json()["errors"]
    # the code survives a refused password
    ok = await client.post(
        "/api/auth/password-reset/confirm/", json={"token": mail.reset_token, "password": NEW_PASSWORD}
    )
    assert ok.status_code == 200


async def test_neither_token_nor_otp_is_400(client: Client) -> None:
    response = await client.post("/api/auth/password-reset/confirm/", json={"password": NEW_PASSWORD})
    assert response.status_code == 400
    bad = await client.post("/api/auth/password-reset/confirm/", json={"token": "x" * 64, "password": NEW_PASSWORD})
    assert bad.status_code == 400


async def test_a_reset_unlocks_a_locked_account(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    for _ in range(5):
        await client.post("/api/auth/jwt/", json={"email": account.email, "password": "Wrong-Password-1"})
    locked = await client.post("/api/auth/jwt/", json={"email": account.email, "password": account.password})
    assert locked.json()["error_code"] == "AUTH_003"
    await _request(client, account.email)
    mail = mailbox.wait_for(account.email, 2)[-1]
    await client.post("/api/auth/password-reset/confirm/", json={"token": mail.reset_token, "password": NEW_PASSWORD})
    account.password = NEW_PASSWORD
    await jwt_login(client, account)
