"""Every error answer the integration tests provoke is checked against the OpenAPI document: its status must be
listed for the operation, and its ``error_code`` among that status's enum (entrypoints/http/answers.py).

The ``client`` fixture hooks a ledger into its HTTP client, so the hundreds of tests that provoke errors on purpose
(bad bodies, other users' ids, limits, locked accounts, races) also check the declarations against what the server
really answered; a test that got an undocumented answer fails at teardown, naming the operation, the status and
the code. Paths the document does not have (test-only probe routes, unknown paths) are left alone."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import httpx

from s2cart.entrypoints.http.app import create_app

METHODS = ("get", "put", "post", "delete", "patch")


@cache
def _operations() -> tuple[tuple[re.Pattern[str], str, dict[str, Any]], ...]:
    from tests.integration.conftest import make_settings  # conftest imports this module

    document = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi_schema.to_schema()
    found = []
    for path, item in document["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "/?$")
        found.extend((pattern, method, item[method]) for method in METHODS if method in item)
    # Literal paths before templated ones: /addresses/default/ is not /addresses/{address_id}/.
    return tuple(sorted(found, key=lambda entry: entry[0].pattern.count("[^/]+")))


def operation_for(method: str, path: str) -> dict[str, Any] | None:
    return next(
        (operation for pattern, verb, operation in _operations() if verb == method.lower() and pattern.match(path)),
        None,
    )


def undocumented(method: str, path: str, status: int, body: Any) -> str | None:
    """Why this error answer is not what the document says the operation gives, or None when it is."""
    operation = operation_for(method, path)
    if operation is None or status < 400:
        return None
    label = f"{method} {path} ({operation['operationId']})"
    response = operation["responses"].get(str(status))
    if response is None:
        listed = sorted(s for s in operation["responses"] if int(s) >= 400)
        return f"{label}: status {status} is not documented (documented: {listed})"
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    if "allOf" not in schema:
        return None  # a body of its own (health's 503)
    codes = schema["allOf"][1]["properties"]["error_code"]["enum"]
    code = body.get("error_code") if isinstance(body, dict) else None
    if code not in codes:
        return f"{label}: {status} {code} is not documented (documented for {status}: {codes})"
    return None


class ErrorLedger:
    """An httpx response hook noting every undocumented error answer."""

    def __init__(self) -> None:
        self.found: list[str] = []

    async def __call__(self, response: httpx.Response) -> None:
        if response.status_code < 400 or operation_for(response.request.method, response.request.url.path) is None:
            return
        await response.aread()
        try:
            body = response.json()
        except ValueError:
            body = None
        problem = undocumented(response.request.method, response.request.url.path, response.status_code, body)
        if problem is not None:
            self.found.append(problem)
