from __future__ import annotations

from tests.integration.http.accounts import Client, bearer, jwt_login, registered, verified
from tests.integration.mailbox import Mailbox

PROFILE_FIELDS = {
    "id",
    "username",
    "email",
    "first_name",
    "last_name",
    "phone_number",
    "profile_image",
    "date_of_birth",
    "gender",
    "preferred_language",
    "email_notifications",
    "sms_notifications",
    "push_notifications",
    "is_verified",
    "active_sessions_count",
    "total_carts_count",
    "max_carts_allowed",
    "saved_addresses",
    "date_joined",
    "last_login",
}


async def test_profile_has_every_contract_field(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    tokens = await jwt_login(client, account)
    response = await client.get("/api/auth/profile/", headers=bearer(tokens["access"]))
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == PROFILE_FIELDS
    assert data["active_sessions_count"] == 2  # the registration token and this sign-in
    assert (data["max_carts_allowed"], data["saved_addresses"], data["is_verified"]) == (5, [], True)
    assert data["last_login"] is not None


async def test_update_applies_editable_fields_only(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    headers = bearer((await jwt_login(client, account))["access"])
    response = await client.patch(
        "/api/auth/profile/update/",
        headers=headers,
        json={
            "first_name": "John",
            "last_name": "Smith",
            "phone_number": "9876543211",
            "date_of_birth": "1990-01-01",
            "gender": "MALE",
            "preferred_language": "HI",
            "email_notifications": False,
            "profile_image": "https://cdn.example.com/u/1.jpg",
            "email": "attacker@example.com",
            "is_verified": False,
            "id": 999,
            "username": "root",
        },
    )
    assert response.status_code == 200
    assert response.json()["message"] == "Profile updated successfully"
    data = (await client.get("/api/auth/profile/", headers=headers)).json()["data"]
    assert (data["first_name"], data["last_name"], data["phone_number"]) == ("John", "Smith", "+919876543211")
    assert (data["date_of_birth"], data["gender"], data["preferred_language"]) == ("1990-01-01", "MALE", "HI")
    assert data["email_notifications"] is False and data["sms_notifications"] is True
    assert data["profile_image"] == "https://cdn.example.com/u/1.jpg"
    assert (data["email"], data["username"], data["id"], data["is_verified"]) == (
        account.email,
        account.username,
        account.user_id,
        True,
    )


async def test_invalid_profile_values_are_400_and_change_nothing(client: Client, mailbox: Mailbox) -> None:
    account = await verified(client, mailbox)
    headers = bearer((await jwt_login(client, account))["access"])
    for body, field in [
        ({"gender": "ROBOT", "first_name": "Changed"}, "gender"),
        ({"preferred_language": "FR"}, "preferred_language"),
        ({"profile_image": "http://insecure.example.com/a.jpg", "first_name": "Changed"}, "profile_image"),
        ({"date_of_birth": "2999-01-01", "first_name": "Changed"}, "date_of_birth"),
        ({"phone_number": "12", "first_name": "Changed"}, "phone_number"),
    ]:
        response = await client.patch("/api/auth/profile/update/", headers=headers, json=body)
        assert response.status_code == 400, body
        assert field in response.json()["errors"], response.json()
    data = (await client.get("/api/auth/profile/", headers=headers)).json()["data"]
    assert data["first_name"] != "Changed"


async def test_an_unverified_account_may_read_its_profile_and_nothing_more(client: Client, mailbox: Mailbox) -> None:
    account = await registered(client, mailbox)
    headers = {"Authorization": f"Token {account.registration_token}"}
    profile = await client.get("/api/auth/profile/", headers=headers)
    assert profile.status_code == 200
    assert profile.json()["data"]["is_verified"] is False
    update = await client.patch("/api/auth/profile/update/", headers=headers, json={"first_name": "X"})
    assert update.status_code == 403
    assert update.json()["error_code"] == "AUTH_002"


async def test_profile_needs_credentials(client: Client) -> None:
    response = await client.get("/api/auth/profile/")
    assert response.status_code == 401
    assert response.json()["status"] == "error"
    garbage = await client.get("/api/auth/profile/", headers={"Authorization": "Bearer not.a.jwt"})
    assert garbage.status_code == 401
    assert garbage.json()["error_code"] == "AUTH_005"
