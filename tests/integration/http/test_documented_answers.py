"""Answers the fuzzer found undocumented: the document names every status an operation gives, with its body."""

from __future__ import annotations

from typing import Any

import httpx
from litestar import Litestar

from s2cart.entrypoints.container import Container
from tests.integration.documented import ErrorLedger
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.mailbox import Mailbox


def _schema(doc: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    return dict(doc["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]])


def _response_schema(app: Litestar, path: str, method: str, status: int) -> dict[str, Any]:
    """The response's body schema; an error's is the envelope (``allOf[0]``) narrowed by its codes (``allOf[1]``)."""
    doc = dict(app.openapi_schema.to_schema())
    response = doc["paths"][path][method]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    if "allOf" in schema:
        envelope, narrowed = schema["allOf"]
        return {**_schema(doc, envelope), "error_codes": narrowed["properties"]["error_code"]["enum"]}
    return _schema(doc, schema)


async def test_a_second_cart_for_a_store_is_a_documented_200(
    app: Litestar, client: Client, container: Container, mailbox: Mailbox
) -> None:
    await load_demo_catalog(container)
    auth = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])
    first = await client.post("/api/auth/carts/", headers=auth, json={"store_id": "store_123"})
    again = await client.post("/api/auth/carts/", headers=auth, json={"store_id": "store_123"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["data"]["id"] == first.json()["data"]["id"]
    documented = _response_schema(app, "/api/auth/carts", "post", 200)
    assert set(documented["required"]) <= set(again.json())
    assert _response_schema(app, "/api/auth/carts", "post", 201) == documented


async def test_the_failed_sign_in_429_has_the_documented_body(app: Litestar, client: Client) -> None:
    for _ in range(21):  # past the old per-address block (20) and the pair limit (10) alike
        response = await client.post("/api/auth/jwt/", json={"email": "ghost@example.com", "password": "Guess-12345"})
    assert response.status_code == 429
    documented = _response_schema(app, "/api/auth/jwt", "post", 429)
    assert {"retry_after", "limit_type", "current_usage"} <= set(documented["required"])
    assert set(documented["required"]) <= set(response.json()), response.json()
    assert documented["error_codes"] == ["AUTH_006", "RATE_001"]
    assert response.json()["error_code"] == "AUTH_006"


async def test_the_client_checks_every_error_answer_against_the_document(client: Client) -> None:
    """The client fixture's ledger (tests/integration/documented.py) sees every answer and keeps what the document
    does not list; the fixture fails the test at teardown when it kept anything."""
    (ledger,) = [hook for hook in client.event_hooks["response"] if isinstance(hook, ErrorLedger)]
    assert (await client.get("/api/auth/carts/")).status_code == 401  # documented: nothing kept
    assert ledger.found == []
    request = httpx.Request("POST", "http://testserver.local/api/auth/orders/")
    await ledger(httpx.Response(409, json={"error_code": "ORDER_999"}, request=request))
    assert ledger.found == [
        "POST /api/auth/orders/ (placeOrder): 409 ORDER_999 is not documented "
        "(documented for 409: ['GEN_409', 'IDEMPOTENCY_002', 'ORDER_002'])"
    ]
    ledger.found.clear()  # this test's own teardown must pass
