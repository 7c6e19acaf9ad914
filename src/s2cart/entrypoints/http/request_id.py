"""X-Request-ID: echo a well-formed incoming id, otherwise mint one; every response carries it.

The app's one pass over every request (http/observability.py) decides the id, puts it in the logging context
and on the answer's headers; the error handlers read it from the scope."""

from __future__ import annotations

import re
import uuid

from litestar.types import Scope

HEADER = b"x-request-id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_for(scope: Scope) -> str:
    """The id of this request, decided once and kept in the scope's state."""
    state = scope.setdefault("state", {})  # type: ignore[misc]
    existing = state.get("request_id")
    if existing:
        return str(existing)
    incoming = None
    for name, value in scope.get("headers", ()):
        if name == HEADER:
            incoming = value.decode("latin-1")
            break
    request_id = incoming if incoming and _VALID.match(incoming) else uuid.uuid4().hex
    state["request_id"] = request_id
    return request_id
