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
