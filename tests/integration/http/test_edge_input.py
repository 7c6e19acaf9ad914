"""Input PostgreSQL refuses or a decoder chokes on is a 4xx at the edge, on both backends, and never a log of SQL
parameters. Also: numbers where the contract has numbers (a string "2" is not a quantity)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from s2cart.application.errors import StorageRefusedValue
from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.test_hostile_input import refusal_problem
from tests.integration.mailbox import Mailbox

# Path and query values PostgreSQL cannot take as text: NUL, raw or percent-encoded, and bytes that are not UTF-8.
REFUSED_PATHS = [
    ("GET", "/api/auth/carts/store/%00/"),
    ("GET", "/api/auth/carts/store/store_123%00/"),
    ("DELETE", "/api/auth/jwt/sessions/%00/"),
    ("GET", "/api/auth/verify/%00/"),
    ("GET", "/api/auth/carts/store/%FF%FE/"),
    ("GET", "/api/auth/orders/?status=%00"),
    ("GET", "/api/auth/orders/?ordering=id%00"),
    ("GET", "/api/auth/search-history/?category=%00"),
    ("GET", "/api/auth/payments/history/?status=PENDING%00"),
    ("GET", "/api/auth/carts/?anything=%00"),
    ("GET", "/api/auth/carts/?%00=1"),
    ("GET", "/api/auth/carts/?x=%FF"),
]
SQL_TRACES = ("SELECT", "[parameters", "DataError", "psycopg", "Traceback")


@pytest.fixture
async def auth(client: Client, container: Container, mailbox: Mailbox) -> dict[str, str]:
    await load_demo_catalog(container)
    return bearer((await jwt_login(client, await verified(client, mailbox)))["access"])


@pytest.mark.parametrize(("method", "url"), REFUSED_PATHS)
async def test_refused_characters_in_paths_and_queries_are_a_4xx(
    client: Client, auth: dict[str, str], caplog: pytest.LogCaptureFixture, method: str, url: str
) -> None:
    caplog.set_level(logging.INFO)
    response = await client.request(method, url, headers=auth)
    assert refusal_problem(response, f"{method} {url}", {400, 404}) is None
    if response.status_code == 400:
        assert response.json()["error_code"] == "VAL_001"
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records if r.levelno >= logging.WARNING)
    assert not any(trace in logged for trace in SQL_TRACES), logged


async def test_nul_in_body_fields_is_a_400_naming_the_field(client: Client, auth: dict[str, str]) -> None:
    address = {
        "contact_name": "John Doe",
        "street_address": "12 Main\x00 Street",
        "city": "Mumbai",
        "state": "Maharashtra",
        "pin_code": "400001",
        "phone_number": "+919876543210",
    }
    cases = [
        ("/api/auth/addresses/", address, "street_address"),
        ("/api/auth/search-history/", {"query": "phone\x00", "category": "electronics"}, "query"),
        (
            "/api/auth/support/tickets/",
            {"subject": "Late", "description": "Where\x00", "category": "delivery"},
            "description",
        ),
    ]
    for url, body, field in cases:
        response = await client.post(url, headers=auth, json=body)
        assert response.status_code == 400, response.text
        assert response.json()["error_code"] == "VAL_001"
        assert field in response.json()["errors"], response.text


@pytest.mark.parametrize("url", ["/api/auth/register/", "/api/auth/login/", "/api/auth/jwt/", "/api/auth/carts/"])
async def test_json_nested_a_hundred_thousand_deep_is_a_400(client: Client, auth: dict[str, str], url: str) -> None:
    deep = ("[" * 100_000).encode()
    for body in (deep, b'{"email": ' + deep + b"}", ("[" * 100_000 + "]" * 100_000).encode()):
        response = await client.post(url, content=body, headers={**auth, "Content-Type": "application/json"})
        assert refusal_problem(response, url, {400}) is None


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_a_database_error_never_carries_the_values(container: Container) -> None:
    """What the engine raises is what a logged traceback shows: the statement, never the values bound to it. A value
    PostgreSQL refuses (its message quotes it) becomes StorageRefusedValue, a 400 carrying only the SQLSTATE."""
    secret = "secret-4111111111111111"
    with pytest.raises(StorageRefusedValue) as refused:
        async with container.engine().connect() as connection:
            await connection.execute(text("SELECT CAST(:value AS integer)"), {"value": secret})
    assert refused.value.sqlstate == "22P02"
    assert secret not in str(refused.value)
    async with container.engine().connect() as connection:
        await connection.execute(text("CREATE TEMP TABLE probe (x text CHECK (x = 'ok'))"))
        with pytest.raises(DBAPIError) as raised:
            await connection.execute(text("INSERT INTO probe VALUES (:value)"), {"value": secret})
    assert "INSERT INTO probe" in str(raised.value)
    assert "[parameters" not in str(raised.value)
    assert "parameters hidden" in str(raised.value)


STRING_NUMBERS = ["2", "2.0", "1e1", " 2"]


@pytest.mark.parametrize("value", STRING_NUMBERS)
async def test_numbers_given_as_strings_are_refused(client: Client, auth: dict[str, str], value: str) -> None:
    added = await client.post(
        "/api/auth/cart/items/", headers=auth, json={"store_id": "store_123", "product_id": "prod_001"}
    )
    assert added.status_code == 201, added.text
    item_id = added.json()["data"]["id"]
    cases = [
        ("POST", "/api/auth/cart/items/", {"store_id": "store_123", "product_id": "prod_001", "quantity": value}),
        ("PATCH", f"/api/auth/cart/items/{item_id}/", {"quantity": value}),
        ("POST", "/api/auth/orders/", {"cart_id": value, "shipping_address_id": 1, "payment_method": "COD"}),
        ("POST", "/api/auth/orders/", {"cart_id": 1, "shipping_address_id": value, "payment_method": "COD"}),
    ]
    for method, url, body in cases:
        field = next(k for k, v in body.items() if v == value)
        response = await client.request(method, url, headers={**auth, "Idempotency-Key": f"k-{value}"}, json=body)
        assert response.status_code == 400, f"{field} as {value!r} to {method} {url}: {response.text}"
        assert response.json()["error_code"] == "VAL_001"
        assert field in response.json()["errors"], response.text
    cart = (await client.get("/api/auth/carts/store/store_123/", headers=auth)).json()["data"]
    assert [line["quantity"] for line in cart["items"]] == [1]


async def test_a_caller_without_credentials_hears_401_before_the_body_is_judged(client: Client) -> None:
    body = {"store_id": "store_123", "product_id": "prod_001", "quantity": "2"}
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        response = await client.post("/api/auth/cart/items/", headers=headers, json=body)
        assert response.status_code == 401, response.text
    registered = await client.post("/api/auth/register/", json={"username": 5, "email": "a@example.com"})
    assert registered.status_code == 400 and "username" in registered.json()["errors"], registered.text


async def test_integers_in_the_contract_shape_still_work(client: Client, auth: dict[str, str]) -> None:
    body = {"store_id": "store_123", "product_id": "prod_002", "quantity": 2}
    added = await client.post("/api/auth/cart/items/", headers=auth, json=body)
    assert added.status_code == 201, added.text
    assert added.json()["data"]["quantity"] == 2
    changed = await client.patch(
        f"/api/auth/cart/items/{added.json()['data']['id']}/", headers=auth, json={"quantity": 3}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["quantity"] == 3
