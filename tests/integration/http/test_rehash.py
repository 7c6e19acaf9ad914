from __future__ import annotations

import msgspec
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import jwt_login, verified
from tests.integration.mailbox import Mailbox


async def _stored_hash(settings: Settings, email: str) -> str:
    container = build_container(settings)
    async with container.engine().connect() as connection:
        value = (
            await connection.execute(text("SELECT password_hash FROM users WHERE email = :e"), {"e": email})
        ).scalar_one()
    await container.engine().dispose()
    return str(value)


async def test_sign_in_rehashes_a_password_stored_with_other_parameters(settings: Settings, mailbox: Mailbox) -> None:
    async with AsyncTestClient(app=create_app(settings)) as client:
        account = await verified(client, mailbox)
    assert "m=1024,t=1,p=1" in await _stored_hash(settings, account.email)

    stronger = msgspec.structs.replace(settings, argon2_time_cost=2, argon2_memory_kib=2048)
    async with AsyncTestClient(app=create_app(stronger)) as client:
        await jwt_login(client, account)
        assert "m=2048,t=2,p=1" in await _stored_hash(settings, account.email)
        await jwt_login(client, account)  # the new hash verifies
