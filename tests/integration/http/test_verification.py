from __future__ import annotations

from tests.integration.http.accounts import Client, registered
from tests.integration.mailbox import Mailbox


async def _is_verified(client: Client, token: str) -> bool:
    response = await client.get("/api/auth/profile/", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200, response.text
    return bool(response.json()["data"]["is_verified"])


async def test_verify_by_link_once(client: Client, mailbox: Mailbox) -> None:
    account = await registered(client, mailbox)
    token = mailbox.last_to(account.email).link_token
    response = await client.get(f"/api/auth/verify/{token}/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "code": 200,
        "message": "Account verified successfully.",
        "verification_method": "token",
    }
    assert await _is_verified(client, account.registration_token)
    again = await client.get(f"/api/auth/verify/{token}/")
    assert again.status_code == 400


async def test_verify_by_otp(client: Client, mailbox: Mailbox) -> None:
    account = await registered(client, mailbox)
    otp = mailbox.last_to(account.email).otp
    response = await client.post("/api/auth/verify/otp/", json={"email": account.email.upper(), "otp": otp})
    assert response.status_code == 200
    assert response.json()["verification_method"] == "otp"
    assert await _is_verified(client, account.registration_token)


async def test_using_the_otp_spends_the_link(client: Client, mailbox: Mailbox) -> None:
    account = await registered(client, mailbox)
    mail = mailbox.last_to(account.email)
    await client.post("/api/auth/verify/otp/", json={"email": account.email, "otp": mail.otp})
    assert (await client.get(f"/api/auth/verify/{mail.link_token}/")).status_code == 400


async def test_five_wrong_otps_spend_the_code(client: Client, mailbox: Mailbox) -> None:
    account = await registered(client, mailbox)
    otp = mailbox.last_to(account.email).otp
    wrong = f"{(int(otp) + 1) % 1_000_000:06d}"
    for _ in range(5):
        response = await client.post("/api/auth/verify/otp/", json={"email": account.email, "otp": wrong})
        assert response.status_code == 400
    response = await client.post("/api/auth/verify/otp/", json={"email": account.email, "otp": otp})
    assert response.status_code == 400
    assert not await _is_verified(client, account.registration_token)


async def test_unknown_email_and_wrong_code_answer_alike(client: Client, mailbox: Mailbox) -> None:
    account = await registered(client, mailbox)
    otp = mailbox.last_to(account.email).otp
    wrong = f"{(int(otp) + 7) % 1_000_000:06d}"
    unknown = await client.post("/api/auth/verify/otp/", json={"email": "ghost@example.com", "otp": "123456"})
    mismatch = await client.post("/api/auth/verify/otp/", json={"email": account.email, "otp": wrong})
    assert unknown.status_code == mismatch.status_code == 400
    assert unknown.json()["errors"] == mismatch.json()["errors"]


async def test_resend_replaces_the_previous_codes(client: Client, mailbox: Mailbox) -> None:
    account = await registered(client, mailbox)
    first = mailbox.last_to(account.email)
    response = await client.post("/api/auth/verify/resend/", json={"email": account.email})
    assert response.status_code == 200
    assert response.json()["message"] == "Verification email resent successfully"
    assert response.json()["otp_expires_in"] == "25 minutes"
    first_mail, second = mailbox.wait_for(account.email, 2)
    assert first_mail == first
    assert second.link_token != first.link_token
    assert (await client.get(f"/api/auth/verify/{first.link_token}/")).status_code == 400
    if second.otp != first.otp:  # one in a million the new OTP repeats the old one
        stale = await client.post("/api/auth/verify/otp/", json={"email": account.email, "otp": first.otp})
        assert stale.status_code == 400
    assert (await client.get(f"/api/auth/verify/{second.link_token}/")).status_code == 200


async def test_resend_for_an_unknown_email_answers_the_same(client: Client) -> None:
    response = await client.post("/api/auth/verify/resend/", json={"email": "nobody@example.com"})
    assert response.status_code == 200
    assert response.json()["message"] == "Verification email resent successfully"


async def test_a_malformed_token_is_400(client: Client) -> None:
    response = await client.get("/api/auth/verify/short/")
    assert response.status_code == 400
