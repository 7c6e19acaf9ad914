"""A whole account lifecycle with every log line captured: no secret may appear in any of them."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from s2cart.entrypoints.container import Container
from s2cart.entrypoints.logs import JsonFormatter, RedactingFormatter
from tests.integration.http.accounts import Client, bearer, registered
from tests.integration.mailbox import Mailbox

NEW_PASSWORD = "Coral-Tiger-Lantern-5"


async def test_no_secret_reaches_a_log_line(
    client: Client, container: Container, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets: list[str] = []
    account = await registered(client, mailbox)
    secrets += [account.password, account.registration_token]
    mail = mailbox.last_to(account.email)
    secrets += [mail.otp, mail.link_token]
    assert (await client.get(f"/api/auth/verify/{mail.link_token}/")).status_code == 200

    await client.post("/api/auth/jwt/", json={"email": account.email, "password": "Wrong-But-Secret-1"})
    secrets.append("Wrong-But-Secret-1")
    signed_in = (
        await client.post("/api/auth/jwt/", json={"email": account.email, "password": account.password})
    ).json()
    access, refresh = signed_in["data"]["access"], signed_in["data"]["refresh"]
    secrets += [access, refresh]
    rotated = (await client.post("/api/auth/jwt/refresh/", json={"refresh": refresh})).json()["data"]
    secrets += [rotated["access"], rotated["refresh"]]
    await client.post("/api/auth/jwt/refresh/", json={"refresh": refresh})  # reuse
    legacy = (await client.post("/api/auth/login/", json={"email": account.email, "password": account.password})).json()
    secrets.append(legacy["data"]["token"])
    await client.get("/api/auth/profile/", headers=bearer(legacy["data"]["token"]))

    await client.post("/api/auth/password-reset/request/", json={"email": account.email})
    reset = mailbox.wait_for(account.email, 2)[-1]
    secrets += [reset.otp, reset.reset_token, NEW_PASSWORD]
    confirm = await client.post(
        "/api/auth/password-reset/confirm/", json={"token": reset.reset_token, "password": NEW_PASSWORD}
    )
    assert confirm.status_code == 200

    async with container.engine().connect() as connection:
        stored = (await connection.execute(text("SELECT password_hash FROM users"))).scalars().all()
    secrets += list(stored)
    secrets.append(container.settings().jwt_secret)

    assert caplog.records, "the flow logged nothing: the test would prove nothing"
    # "mail.log" is the test's own SMTP receiver (aiosmtpd) echoing what it was sent, not S2Cart.
    records = [r for r in caplog.records if not r.name.startswith("mail.log")]
    for formatter in (RedactingFormatter("%(message)s"), JsonFormatter()):
        for record in records:
            line = formatter.format(record)
            for secret in secrets:
                assert secret not in line, f"secret leaked in {record.name}: {line[:200]}"


def test_redaction_catches_secret_pairs_that_slip_into_a_message() -> None:
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "payload password=hunter22 otp: 123456 Authorization: Bearer abc.def.ghi",
        (),
        None,
    )
    line = RedactingFormatter("%(message)s").format(record)
    assert "hunter22" not in line
    assert "123456" not in line
    assert "abc.def.ghi" not in line
