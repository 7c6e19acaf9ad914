"""Contract compatibility (issue 21 item 8): a 400 names every missing or bad field of a body at once, as DRF
did, and a ``page_size`` above 100 is served as 100 rather than refused."""

from __future__ import annotations

from typing import Any

import pytest

from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.mailbox import Mailbox

REQUIRED = ["This field is required."]


def validation_errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["status"], body["code"], body["error_code"]) == ("error", 400, "VAL_001"), body
    return dict(body["errors"])


@pytest.fixture
async def headers(client: Client, container: Container, mailbox: Mailbox) -> dict[str, str]:
    await load_demo_catalog(container)
    return bearer((await jwt_login(client, await verified(client, mailbox)))["access"])


async def test_register_names_all_three_missing_fields(client: Client) -> None:
    errors = validation_errors(await client.post("/api/auth/register/", json={"first_name": "Asha"}))
    assert errors == {"username": REQUIRED, "email": REQUIRED, "password": REQUIRED}


async def test_register_names_a_missing_and_a_mistyped_field_together(client: Client) -> None:
    response = await client.post("/api/auth/register/", json={"username": "someone", "password": 12345678})
    errors = validation_errors(response)
    assert set(errors) == {"email", "password"}
    assert errors["email"] == REQUIRED
    assert errors["password"] == ["Expected `str`, got `int`"]


async def test_an_order_body_with_two_bad_fields_names_both(client: Client, headers: dict[str, str]) -> None:
    body = {"cart_id": "one", "shipping_address_id": -5}
    errors = validation_errors(await client.post("/api/auth/orders/", headers=headers, json=body))
    assert errors == {"cart_id": ["Expected `int`, got `str`"], "shipping_address_id": ["Expected `int` >= 1"]}
    assert (await client.get("/api/auth/orders/", headers=headers)).json()["data"] == []


async def test_a_cart_item_body_names_every_bad_field_and_adds_nothing(client: Client, headers: dict[str, str]) -> None:
    body = {"store_id": "", "product_id": 7, "quantity": "2"}
    errors = validation_errors(await client.post("/api/auth/cart/items/", headers=headers, json=body))
    assert set(errors) == {"store_id", "product_id", "quantity"}, errors
    carts = (await client.get("/api/auth/carts/", headers=headers)).json()["data"]
    assert carts == []


@pytest.mark.parametrize("asked", [101, 500, 10**9])
async def test_a_page_size_above_100_is_served_as_100(client: Client, asked: int) -> None:
    response = await client.get("/api/auth/widgets/", params={"page_size": asked})
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["data"]) == 45  # every widget fits one page of 100
    pagination = body["pagination"]
    assert (pagination["page_size"], pagination["total_pages"], pagination["has_next"]) == (100, 1, False)


async def test_a_real_list_clamps_page_size_too(client: Client, headers: dict[str, str]) -> None:
    response = await client.get("/api/auth/orders/", headers=headers, params={"page_size": 500})
    assert response.status_code == 200, response.text
    assert response.json()["pagination"]["page_size"] == 100


@pytest.mark.parametrize("asked", ["0", "-3", "abc", "1.5"])
async def test_a_page_size_below_1_or_not_a_number_stays_400(client: Client, asked: str) -> None:
    errors = validation_errors(await client.get("/api/auth/widgets/", params={"page_size": asked}))
    assert "page_size" in errors, errors
