"""X-Request-ID: echo a well-formed incoming id, otherwise mint one; every response carries it."""

from __future__ import annotations

import re
import uuid

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from s2cart.application.read_scope import close_read_scope, open_read_scope
from s2cart.entrypoints.logs import request_id_var

HEADER = "x-request-id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_for(scope: Scope) -> str:
    """The id of this request, decided once and kept in the scope's state."""
    state = scope.setdefault("state", {})  # type: ignore[misc]
    existing = state.get("request_id")
    if existing:
        return str(existing)
    incoming = None
    for name, value in scope.get("headers", []):
        if name == HEADER.encode():
            incoming = value.decode("latin-1")
            break
    request_id = incoming if incoming and _VALID.match(incoming) else uuid.uuid4().hex
    state["request_id"] = request_id
    return request_id


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        token = request_id_var.set(request_id_for(scope))
        # Whose reads these are, once the principal is known (read replicas' read-your-writes, decision 0042).
        reads = open_read_scope()
        try:
            await app(scope, receive, send)
        finally:
            close_read_scope(reads)
            request_id_var.reset(token)

    return middleware


async def add_request_id_header(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook, so 404 and 405 answers (which run no route middleware) carry it too."""
    if message["type"] == "http.response.start":
        headers = list(message.get("headers", []))
        headers.append((HEADER.encode(), request_id_for(scope).encode()))
        message["headers"] = headers  # type: ignore[typeddict-unknown-key]
