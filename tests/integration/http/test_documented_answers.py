"""Answers the fuzzer found undocumented: the document names every status an operation gives, with its body."""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.mailbox import Mailbox


def _schema(doc: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    return dict(doc["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]])


def _response_schema(app: Litestar, path: str, method: str, status: int) -> dict[str, Any]:
    doc = dict(app.openapi_schema.to_schema())
    response = doc["paths"][path][method]["responses"][str(status)]
    return _schema(doc, response["content"]["application/json"]["schema"])


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
