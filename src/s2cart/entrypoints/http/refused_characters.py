"""Path and query parameters PostgreSQL cannot take are refused at the edge, before any handler sees them.

PostgreSQL refuses NUL in text (`psycopg.DataError`, a 500 with the statement in the log), and SQLite stores it,
so a fuzzer on SQLite never finds the difference. No parameter of the contract has a use for a NUL character, nor
for bytes that are not UTF-8 (the server replaces them with U+FFFD, silently changing what was asked for): one check
here covers every route, present and future, instead of one per handler.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from litestar.types import ASGIApp, Receive, Scope, Send

from s2cart.domain.shared.errors import ValidationFailed

NUL = "\x00"
MESSAGE = "NUL characters and bytes that are not UTF-8 are not allowed."


def _refused(raw: bytes) -> bool:
    try:
        return NUL in unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return True


def refused_parameters(scope: Scope) -> dict[str, list[str]]:
    """Each path or query parameter carrying a character PostgreSQL refuses, by name."""
    errors: dict[str, list[str]] = {}
    for name, value in (scope.get("path_params") or {}).items():
        if isinstance(value, str) and NUL in value:
            errors.setdefault(name, []).append(MESSAGE)
    if not errors and _refused(scope.get("raw_path") or scope.get("path", "").encode()):
        errors["path"] = [MESSAGE]
    for pair in scope.get("query_string", b"").split(b"&"):
        name, _, value = pair.partition(b"=")
        if _refused(name) or _refused(value):
            readable = unquote_to_bytes(name).decode("utf-8", "replace").replace(NUL, "") or "query"
            errors.setdefault(readable[:64], []).append(MESSAGE)
    return errors


def refused_characters_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            errors = refused_parameters(scope)
            if errors:
                raise ValidationFailed("Validation failed", errors=errors)
        await app(scope, receive, send)

    return middleware
