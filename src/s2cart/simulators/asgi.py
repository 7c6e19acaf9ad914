"""A few dozen lines of plain ASGI: enough routing for the simulators, and full control over the wire.

A framework would hide exactly what the simulators must misbehave with: holding a reply past the caller's
timeout, or cutting the connection after the headers.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    base_url: str  # how the caller reached us, e.g. http://127.0.0.1:9101
    params: dict[str, str] = field(default_factory=dict)  # from the route pattern

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """Raises ValueError when the body is not JSON."""
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.text, keep_blank_values=True))


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    hold_seconds: float = 0.0  # answer late (the caller has usually given up by then)
    drop: bool = False  # send the headers, then cut the connection


def json_response(value: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(value, separators=(",", ":")).encode())


def html_response(markup: str, status: int = 200) -> Response:
    return Response(status, markup.encode(), content_type="text/html; charset=utf-8")


def redirect_response(location: str) -> Response:
    return Response(302, b"", content_type="text/plain", headers={"location": location})


Handler = Callable[[Request], Awaitable[Response]]


class Router:
    """An ASGI application dispatching ``METHOD /path/{name}`` patterns to handlers."""

    def __init__(self) -> None:
        self._routes: list[tuple[frozenset[str], re.Pattern[str], Handler]] = []

    def add(self, methods: str, pattern: str, handler: Handler) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self._routes.append((frozenset(methods.split("|")), re.compile(f"^{regex}$"), handler))

    def include(self, other: Router) -> None:
        self._routes.extend(other._routes)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request = await _read_request(scope, receive)
        response = await self._dispatch(request)
        await _send(response, send)

    async def _dispatch(self, request: Request) -> Response:
        allowed = False
        for methods, regex, handler in self._routes:
            match = regex.match(request.path)
            if not match:
                continue
            allowed = True
            if request.method in methods:
                request.params = match.groupdict()
                return await handler(request)
        if allowed:
            return json_response({"error": "method not allowed"}, 405)
        return json_response({"error": "not found"}, 404)


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _read_request(scope: dict[str, Any], receive: Any) -> Request:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    host = headers.get("host") or "{}:{}".format(*scope["server"])
    query = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
    return Request(
        method=scope["method"],
        path=scope["path"],
        query=query,
        headers=headers,
        body=b"".join(chunks),
        base_url=f"{scope.get('scheme', 'http')}://{host}",
    )


async def _send(response: Response, send: Any) -> None:
    if response.hold_seconds:
        await asyncio.sleep(response.hold_seconds)
    headers = [(b"content-type", response.content_type.encode())]
    headers += [(k.encode(), v.encode()) for k, v in response.headers.items()]
    if response.drop:
        # Promise more than is sent and stop: the server closes the connection mid-reply.
        headers.append((b"content-length", str(len(response.body) + 64).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body[:8], "more_body": True})
        return
    headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})
