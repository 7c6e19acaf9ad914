"""Litestar resolves a handler's dependencies concurrently and cancels the others when one fails (a bad
``page_size`` beside the principal). A session lookup cancelled half-way through a database call left its
pooled aiosqlite connection closing forever, and the server hung at shutdown; the lookup now runs to its end."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from s2cart.application.auth.principal import Principal
from s2cart.entrypoints.http.principal import principal_providers
from tests.integration.http.accounts import Client
from tests.integration.http.customers import signed_in
from tests.integration.mailbox import Mailbox


class SlowAuthenticate:
    def __init__(self) -> None:
        self.finished = asyncio.Event()

    async def __call__(self, credential: str) -> Principal:
        await asyncio.sleep(0.05)  # the database round trip
        self.finished.set()
        return Principal(1, "sid", "jwt", "WEB", "standard", True)


async def test_a_cancelled_request_lets_the_session_lookup_finish() -> None:
    authenticate = SlowAuthenticate()
    _, provide_any_principal = principal_providers(lambda: authenticate)  # type: ignore[arg-type,return-value]
    request: Any = SimpleNamespace(headers={"authorization": "Bearer x"}, scope={"state": {}})

    waiting = asyncio.create_task(provide_any_principal(request))
    await asyncio.sleep(0.01)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting

    await asyncio.wait_for(authenticate.finished.wait(), timeout=1)


async def test_a_bad_page_size_beside_the_principal_is_a_plain_400(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    for path in ("/api/auth/addresses/", "/api/auth/search-history/", "/api/auth/support/tickets/"):
        response = await client.get(path, headers=headers, params={"page_size": 0})
        assert response.status_code == 400
        assert "page_size" in response.json()["errors"]
    assert (await client.get("/api/auth/addresses/", headers=headers)).status_code == 200
