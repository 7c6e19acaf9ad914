from __future__ import annotations

from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client, jwt_login, verified
from tests.integration.mailbox import Mailbox


async def test_five_failures_lock_the_account_even_for_the_right_password(
    client: Client, container: Container, mailbox: Mailbox
) -> None:
    account = await verified(client, mailbox)
    for attempt in range(4):
        response = await client.post("/api/auth/jwt/", json={"email": account.email, "password": f"Nope-{attempt}-xx"})
        assert response.json()["error_code"] == "AUTH_001"
    fifth = await client.post("/api/auth/jwt/", json={"email": account.email, "password": "Nope-5-xxxxx"})
    assert fifth.status_code == 403
    assert fifth.json()["error_code"] == "AUTH_003"
    assert "Try again after" in fifth.json()["errors"]["non_field_errors"][0]
    right = await client.post("/api/auth/jwt/", json={"email": account.email, "password": account.password})
    assert right.status_code == 403
    assert right.json()["error_code"] == "AUTH_003"

    await container.unlock_user()(account.email)
    await jwt_login(client, account)


async def test_a_success_resets_the_count(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    for _ in range(4):
        await client.post("/api/auth/jwt/", json={"email": account.email, "password": "Wrong-password-1"})
    await jwt_login(client, account)
    for _ in range(4):
        response = await client.post("/api/auth/jwt/", json={"email": account.email, "password": "Wrong-password-1"})
        assert response.json()["error_code"] == "AUTH_001"
