from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox


async def _alive(client: Client, access: str) -> bool:
    status = (await client.get("/api/auth/profile/", headers=bearer(access))).status_code
    assert status in (200, 401)
    return status == 200


async def _three_devices(client: Client, mailbox: Mailbox) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    account = await verified(client, mailbox)
    android = await jwt_login(client, account, device_type="ANDROID", device_id="a-1")
    web = await jwt_login(client, account, device_type="WEB")
    android2 = await jwt_login(client, account, device_type="ANDROID", device_id="a-2")
    return android, web, android2


async def test_logout_current_ends_only_this_session(client: Client, mailbox: Mailbox) -> None:
    android, web, android2 = await _three_devices(client, mailbox)
    response = await client.post(
        "/api/auth/jwt/logout/", headers=bearer(android["access"]), json={"refresh": android["refresh"]}
    )
    assert response.status_code == 200
    assert response.json()["message"] == "Successfully logged out from current session"
    assert [await _alive(client, t["access"]) for t in (android, web, android2)] == [False, True, True]
    spent = await client.post("/api/auth/jwt/refresh/", json={"refresh": android["refresh"]})
    assert spent.status_code == 401


async def test_logout_device_type_ends_that_type(client: Client, mailbox: Mailbox) -> None:
    android, web, android2 = await _three_devices(client, mailbox)
    response = await client.post(
        "/api/auth/jwt/logout/",
        headers=bearer(web["access"]),
        json={"logout_type": "device_type", "device_type": "ANDROID"},
    )
    assert response.json()["message"] == "Successfully logged out from all ANDROID sessions"
    assert [await _alive(client, t["access"]) for t in (android, web, android2)] == [False, True, False]


async def test_logout_all_ends_everything(client: Client, mailbox: Mailbox) -> None:
    android, web, android2 = await _three_devices(client, mailbox)
    response = await client.post("/api/auth/jwt/logout/", headers=bearer(web["access"]), json={"logout_type": "all"})
    assert response.json()["message"] == "Successfully logged out from all sessions"
    assert [await _alive(client, t["access"]) for t in (android, web, android2)] == [False, False, False]


async def test_logout_device_type_needs_the_type(client: Client, mailbox: Mailbox) -> None:
    android, _, _ = await _three_devices(client, mailbox)
    response = await client.post(
        "/api/auth/jwt/logout/", headers=bearer(android["access"]), json={"logout_type": "device_type"}
    )
    assert response.status_code == 400
    assert await _alive(client, android["access"])


async def test_sessions_list_marks_the_current_one(client: Client, mailbox: Mailbox) -> None:
    android, web, _ = await _three_devices(client, mailbox)
    response = await client.get("/api/auth/jwt/sessions/", headers=bearer(web["access"]))
    assert response.status_code == 200
    body = response.json()
    sessions = body["data"]
    assert body["message"] == f"Found {len(sessions)} active sessions"
    assert len(sessions) == 4  # three sign-ins and the registration token
    current = [s for s in sessions if s["is_current_session"]]
    assert len(current) == 1 and current[0]["device_type"] == "WEB"
    assert set(sessions[0]) == {
        "id",
        "device_type",
        "device_id",
        "user_agent",
        "ip_address",
        "created_at",
        "last_activity",
        "expires_at",
        "is_current_session",
    }
    for session in sessions:
        assert session["id"] not in (android["access"], android["refresh"], web["access"])


async def test_ending_one_session(client: Client, mailbox: Mailbox) -> None:
    android, web, _ = await _three_devices(client, mailbox)
    sessions = (await client.get("/api/auth/jwt/sessions/", headers=bearer(web["access"]))).json()["data"]
    target = next(s for s in sessions if s["device_id"] == "a-1")
    response = await client.delete(f"/api/auth/jwt/sessions/{target['id']}/", headers=bearer(web["access"]))
    assert response.status_code == 200
    assert response.json()["message"] == "Successfully terminated ANDROID session"
    assert response.json()["data"]["terminated_session"] == {
        "device_type": "ANDROID",
        "device_id": "a-1",
        "session_id": target["id"],
    }
    assert not await _alive(client, android["access"])
    again = await client.delete(f"/api/auth/jwt/sessions/{target['id']}/", headers=bearer(web["access"]))
    assert again.status_code == 404


async def test_another_users_session_is_404(client: Client, mailbox: Mailbox) -> None:
    owner = await jwt_login(client, await verified(client, mailbox))
    other = await jwt_login(client, await verified(client, mailbox))
    owner_sessions = (await client.get("/api/auth/jwt/sessions/", headers=bearer(owner["access"]))).json()["data"]
    response = await client.delete(
        f"/api/auth/jwt/sessions/{owner_sessions[0]['id']}/", headers=bearer(other["access"])
    )
    assert response.status_code == 404
    assert await _alive(client, owner["access"])
    unknown = await client.delete("/api/auth/jwt/sessions/no-such-session/", headers=bearer(other["access"]))
    assert unknown.status_code == 404


@pytest.mark.usefixtures("mailbox")
async def test_a_logout_through_one_instance_is_enforced_by_another(settings: Settings, mailbox: Mailbox) -> None:
    first = create_app(container=build_container(settings))
    second = create_app(container=build_container(settings))
    async with AsyncTestClient(app=first) as one, AsyncTestClient(app=second) as two:
        account = await verified(one, mailbox)
        tokens = await jwt_login(one, account)
        assert await _alive(two, tokens["access"])
        await one.post("/api/auth/jwt/logout/", headers=bearer(tokens["access"]), json={})
        assert not await _alive(two, tokens["access"])
