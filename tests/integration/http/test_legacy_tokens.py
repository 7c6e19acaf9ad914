from __future__ import annotations

from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox


async def test_legacy_login_and_both_header_forms(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    response = await client.post(
        "/api/auth/login/",
        json={
            "email": account.email,
            "password": account.password,
            "device_type": "ANDROID",
            "device_id": "d-9",
        },
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"token", "user", "device_type", "expires_at"}
    assert data["device_type"] == "ANDROID"
    token = data["token"]
    access = (await jwt_login(client, account))["access"]  # signs in last: last_login is the same for all three
    as_token = await client.get("/api/auth/profile/", headers={"Authorization": f"Token {token}"})
    as_bearer = await client.get("/api/auth/profile/", headers=bearer(token))
    jwt_view = await client.get("/api/auth/profile/", headers=bearer(access))
    assert as_token.status_code == as_bearer.status_code == jwt_view.status_code == 200
    strip = lambda body: {k: v for k, v in body["data"].items() if k != "active_sessions_count"}  # noqa: E731
    assert strip(as_token.json()) == strip(as_bearer.json()) == strip(jwt_view.json())


async def test_legacy_logout_ends_the_token(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    token = (
        await client.post("/api/auth/login/", json={"username": account.username, "password": account.password})
    ).json()["data"]["token"]
    headers = {"Authorization": f"Token {token}"}
    response = await client.post("/api/auth/logout/", headers=headers, json={"logout_type": "current"})
    assert response.status_code == 200
    assert response.json()["message"] == "Logout successful"
    assert (await client.get("/api/auth/profile/", headers=headers)).status_code == 401


async def test_a_made_up_token_is_401(client: Client) -> None:
    response = await client.get("/api/auth/profile/", headers={"Authorization": "Token " + "ab" * 20})
    assert response.status_code == 401
    assert response.json()["error_code"] == "AUTH_005"
