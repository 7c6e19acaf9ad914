"""A real HTTP endpoint for the simulators' callbacks that hands each delivery to the test's event loop.

The simulators run in a thread and deliver over real HTTP; S2Cart runs in the test's loop (a use case, or
the app behind Litestar's test client). The bridge records every delivery and, when a test has set a
target, runs it in the test's loop and answers the simulator with what the target answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

Target = Callable[[str, dict[str, str], bytes], Awaitable[tuple[int, bytes]]]


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int | None = None


class Bridge:
    def __init__(self) -> None:
        self.base_url = ""
        self.deliveries: list[Delivery] = []
        self._target: Target | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def reset(self) -> None:
        self.deliveries.clear()
        self._target, self._loop = None, None

    def record_only(self) -> None:
        self._target, self._loop = None, None

    def forward_to(self, target: Target) -> None:
        """Deliveries from now on run ``target`` in the calling test's loop."""
        self._target, self._loop = target, asyncio.get_running_loop()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":  # served with lifespan off
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        delivery = Delivery(scope["path"], headers, body)
        self.deliveries.append(delivery)
        status, reply = 200, b'{"status":"recorded"}'
        if self._target is not None and self._loop is not None:
            future = asyncio.run_coroutine_threadsafe(self._target(delivery.path, headers, body), self._loop)
            status, reply = await asyncio.wrap_future(future)
        delivery.status = status
        start = {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
        await send(start)
        await send({"type": "http.response.body", "body": reply})
