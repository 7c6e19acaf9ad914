"""Hostile input: every operation with a JSON body and every list, fed what an attacker or a broken client sends.

Operations come from the app's own OpenAPI document, so a new endpoint is attacked without anyone adding it
here. Every answer must be a 4xx in the contract's error envelope; a 5xx, a 2xx or a non-envelope body fails.
SQLite only, except the NUL-byte test: PostgreSQL refuses NUL in text where SQLite stores it, so it runs on both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar

from s2cart.entrypoints.container import Container
from s2cart.entrypoints.http.app import create_app
from tests.integration.conftest import BACKENDS
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.mailbox import Mailbox

TWO_MB = 2 * 1024 * 1024
LONG = "a" * 100_000
ENVELOPE_KEYS = {"status", "code", "message", "errors", "timestamp", "error_code"}


@pytest.fixture
def backend() -> str:
    return "sqlite"


@pytest.fixture
def app(container: Container) -> Litestar:
    return create_app(container=container)


@pytest.fixture
async def headers(client: Client, container: Container, mailbox: Mailbox) -> dict[str, str]:
    """A verified customer owning id 1 of everything a path can name, so bodies reach their handlers."""
    await load_demo_catalog(container)
    auth = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])
    address = {
        "contact_name": "John Doe",
        "street_address": "123 Main Street",
        "city": "Mumbai",
        "state": "Maharashtra",
        "pin_code": "400001",
        "phone_number": "+919876543210",
    }
    for url, body in [
        ("/api/auth/addresses/", address),
        ("/api/auth/cart/items/", {"store_id": "store_123", "product_id": "prod_001"}),
        ("/api/auth/support/tickets/", {"subject": "Late", "description": "Where is it?", "category": "delivery"}),
    ]:
        response = await client.post(url, headers=auth, json=body)
        assert response.status_code == 201, response.text
    return auth


def _document(app: Litestar) -> dict[str, Any]:
    return dict(app.openapi_schema.to_schema())


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path) + "/"


def body_operations(app: Litestar) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, request schema) of every operation that takes a JSON body."""
    doc = _document(app)
    found = []
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if body:
                found.append((method.upper(), _url(path), _resolve(doc, body["content"]["application/json"]["schema"])))
    # Logging out ends the session every other request rides on: attack it last.
    return sorted(found, key=lambda op: "logout" in op[1])


def list_operations(app: Litestar) -> list[tuple[str, set[str]]]:
    doc = _document(app)
    found = []
    for path, item in doc["paths"].items():
        operation = item.get("get")
        names = {p["name"] for p in (operation or {}).get("parameters", []) if p["in"] == "query"}
        if "page" in names:
            found.append((_url(path), names))
    return found


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "oneOf" in schema:
        chosen = next((s for s in schema["oneOf"] if s.get("type") != "null"), schema["oneOf"][0])
        schema = {**{k: v for k, v in schema.items() if k != "oneOf"}, **_resolve(doc, chosen)}
    if schema.get("type") == "object":
        schema = {**schema, "properties": {k: _resolve(doc, v) for k, v in schema.get("properties", {}).items()}}
    return schema


def _plausible(schema: dict[str, Any]) -> Any:
    if "enum" in schema:
        return schema["enum"][0]
    if "examples" in schema:
        return schema["examples"][0]
    return {"string": "x", "integer": 1, "number": 1.0, "boolean": True, "array": [], "object": {}}.get(
        schema.get("type", "string"), "x"
    )


def base_body(schema: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties", {})
    return {name: _plausible(properties[name]) for name in schema.get("required", []) if name in properties}


def hostile_values(schema: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Values no field of this schema may accept."""
    kind = schema.get("type", "string")
    if kind == "string":
        yield "long string", LONG
        yield "number for a string", 12345
        yield "object for a string", {"$gt": ""}
    elif kind == "integer":
        yield "huge integer", 10**30
        yield "huge negative integer", -(10**30)
        yield "string for an integer", "one"  # Litestar converts "1" to 1 (lax decoding), which is harmless
        if schema.get("minimum", -1) >= 0 or "exclusiveMinimum" in schema:
            yield "negative integer", -1
    elif kind == "number":
        yield "huge number", 1e308
        yield "huge negative number", -1e308
        yield "list for a number", [1]
    elif kind == "boolean":
        yield "string for a boolean", "yes"
    else:
        yield "string for a structure", "x"


def refusal_problem(response: Any, what: str, statuses: range | set[int] = range(400, 500)) -> str | None:
    """None when the response is a refusal in the contract's error envelope, else what is wrong with it."""
    if response.status_code not in statuses:
        return f"{what}: {response.status_code} {response.text[:300]}"
    try:
        body = response.json()
    except ValueError:
        return f"{what}: not JSON: {response.text[:300]}"
    if not (
        isinstance(body, dict)
        and set(body) >= ENVELOPE_KEYS
        and body["status"] == "error"
        and body["code"] == response.status_code
        and isinstance(body["errors"], dict)
    ):
        return f"{what}: not the error envelope: {body}"
    return None


class Findings:
    """Every problem of a sweep, reported together rather than only the first."""

    def __init__(self) -> None:
        self.tried = 0
        self.problems: list[str] = []

    def check(self, response: Any, what: str, statuses: range | set[int] = range(400, 500)) -> None:
        self.tried += 1
        problem = refusal_problem(response, what, statuses)
        if problem:
            self.problems.append(problem)

    def assert_none(self, at_least: int) -> None:
        assert not self.problems, f"{len(self.problems)} of {self.tried} refused badly:\n" + "\n".join(self.problems)
        assert self.tried >= at_least


async def _assert_session_alive(client: Client, headers: dict[str, str]) -> None:
    """The refusals came from the input, not from a session some earlier request ended."""
    profile = await client.get("/api/auth/profile/", headers=headers)
    assert profile.status_code == 200, profile.text


def test_the_document_names_the_operations(tmp_path: Any) -> None:
    from tests.integration.conftest import make_settings

    app = create_app(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}"))
    assert len(body_operations(app)) >= 20
    assert len(list_operations(app)) >= 4


async def test_broken_bodies_are_refused(app: Litestar, client: Client, headers: dict[str, str]) -> None:
    deep = "[" * 10_000 + "]" * 10_000
    bodies: list[tuple[str, bytes, str, set[int]]] = [
        ("malformed JSON", b'{"a": ', "application/json", {400}),
        ("truncated JSON", b'{"quantity": 1', "application/json", {400}),
        ("deep nesting", deep.encode(), "application/json", {400}),
        ("deep nesting in a field", ('{"x": ' + deep + "}").encode(), "application/json", {400}),
        ("deep objects", ('{"a":' * 10_000 + "1" + "}" * 10_000).encode(), "application/json", {400}),
        ("a JSON array", b"[1, 2, 3]", "application/json", {400}),
        ("wrong content type", b"quantity=1&store_id=x", "application/x-www-form-urlencoded", {400, 415}),
        ("text for JSON", b"hello", "text/plain", {400, 415}),
        ("invalid UTF-8", b'{"x": "\xff\xfe"}', "application/json", {400}),
        ("2 MB body", b'{"x": "' + b"a" * TWO_MB + b'"}', "application/json", {413}),
    ]
    findings = Findings()
    for method, url, _ in body_operations(app):
        for what, content, content_type, statuses in bodies:
            response = await client.request(
                method, url, content=content, headers={**headers, "Content-Type": content_type}
            )
            findings.check(response, f"{what} to {method} {url}", statuses)
    findings.assert_none(at_least=20 * len(bodies))
    await _assert_session_alive(client, headers)


async def test_hostile_field_values_are_refused(app: Litestar, client: Client, headers: dict[str, str]) -> None:
    findings = Findings()
    for method, url, schema in body_operations(app):
        base = base_body(schema)
        for field, field_schema in schema.get("properties", {}).items():
            for what, value in hostile_values(field_schema):
                response = await client.request(method, url, headers=headers, json={**base, field: value})
                findings.check(response, f"{what} in {field} of {method} {url}")
        wrong = await client.request(method, url, headers=headers, json=list(base.values()))
        findings.check(wrong, f"a list for the body of {method} {url}")
    findings.assert_none(at_least=100)
    await _assert_session_alive(client, headers)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_nul_bytes_are_refused(app: Litestar, client: Client, headers: dict[str, str]) -> None:
    findings = Findings()
    for method, url, schema in body_operations(app):
        base = base_body(schema)
        for field, field_schema in schema.get("properties", {}).items():
            if field_schema.get("type", "string") != "string" or "enum" in field_schema:
                continue
            value = str(_plausible(field_schema)) + "\x00"
            response = await client.request(method, url, headers=headers, json={**base, field: value})
            findings.check(response, f"NUL in {field} of {method} {url}")
    findings.assert_none(at_least=30)
    await _assert_session_alive(client, headers)


async def test_list_parameters_outside_their_range_are_refused(
    app: Litestar, client: Client, headers: dict[str, str]
) -> None:
    findings = Findings()
    lists = list_operations(app)
    for url, names in lists:
        cases: list[dict[str, Any]] = [
            {"page": -1},
            {"page": 0},
            {"page": 10**12},
            {"page": "one"},
            {"page_size": "many"},  # above 100 is served as 100 (test_every_field_named)
            {"page_size": -5},
            {"page": 10**30},
        ]
        if "ordering" in names:
            cases += [{"ordering": "password_hash"}, {"ordering": "-id; DROP TABLE users"}, {"ordering": "\x00"}]
        for params in cases:
            response = await client.get(url, headers=headers, params=params)
            findings.check(response, f"{params} on {url}", {400})
    findings.assert_none(at_least=7 * 4)


def test_hostile_values_cover_every_kind() -> None:
    kinds = {"string", "integer", "number", "boolean", "array"}
    assert all(list(hostile_values({"type": k})) for k in kinds)
    assert json.dumps(dict(hostile_values({"type": "integer", "minimum": 1})))
