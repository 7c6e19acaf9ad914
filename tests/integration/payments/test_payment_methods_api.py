"""Saved cards and UPI ids over HTTP: only references are kept, card numbers and CVVs never get in."""

from __future__ import annotations

from typing import Any

import pytest

from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client
from tests.integration.mailbox import Mailbox
from tests.integration.payments.test_payment_api import Customer, new_customer

CARDS, UPI = "/api/auth/payment-methods/cards/", "/api/auth/payment-methods/upi/"
CARD: dict[str, Any] = {
    "card_type": "VISA",
    "last_four": "1234",
    "expiry_month": "12",
    "expiry_year": "2030",
    "card_holder_name": "John Doe",
    "card_nickname": "Primary Card",
    "gateway_token": "tok_visa_8f3a9c2e1b",
}


@pytest.fixture
async def customer(client: Client, container: Container, mailbox: Mailbox) -> Customer:
    return await new_customer(client, container, mailbox)


async def test_cards_in_the_contracts_shape_with_one_default(customer: Customer) -> None:
    client, headers = customer.client, customer.headers
    first = await client.post(CARDS, headers=headers, json=CARD)
    second = await client.post(
        CARDS, headers=headers, json={**CARD, "card_type": "RUPAY", "last_four": "9876", "expiry_month": "3"}
    )
    assert (first.status_code, second.status_code) == (201, 201), second.text
    listed = (await client.get(CARDS, headers=headers)).json()["data"]
    assert listed[0] == {
        "id": first.json()["data"]["id"],
        "card_type": "VISA",
        "last_four": "1234",
        "expiry_month": "12",
        "expiry_year": "2030",
        "card_holder_name": "John Doe",
        "card_nickname": "Primary Card",
        "is_default": True,
        "is_active": True,
        "created_at": listed[0]["created_at"],
    }
    assert (listed[1]["expiry_month"], listed[1]["is_default"]) == ("03", False)
    assert "gateway_token" not in str(listed)

    moved = await client.post(f"{CARDS}set-default/{second.json()['data']['id']}/", headers=headers)
    assert moved.status_code == 200
    assert [c["card_type"] for c in (await client.get(CARDS, headers=headers)).json()["data"] if c["is_default"]] == [
        "RUPAY"
    ]
    removed = await client.delete(f"{CARDS}{second.json()['data']['id']}/", headers=headers)
    assert removed.status_code == 200
    [left] = (await client.get(CARDS, headers=headers)).json()["data"]
    assert (left["last_four"], left["is_default"]) == ("1234", True)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"card_number": "4111111111111111"}, "card_number"),
        ({"cvv": "123"}, "cvv"),
        ({"CVC": "123"}, "CVC"),
        ({"card_nickname": "my 4111 1111 1111 1111"}, "card_nickname"),
        ({"gateway_token": "4111111111111111"}, "gateway_token"),
        ({"notes": {"pan": "5500-0000-0000-0004"}}, "notes.pan"),
    ],
)
async def test_card_numbers_and_cvvs_are_refused_and_nothing_is_stored(
    customer: Customer, extra: dict[str, Any], field: str
) -> None:
    response = await customer.client.post(CARDS, headers=customer.headers, json={**CARD, **extra})
    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["error_code"], list(body["errors"])) == ("PAY_010", [field])
    assert "1111 1111" not in response.text and "4111111111111111" not in response.text
    assert "5500-0000" not in response.text and '"123"' not in response.text
    assert (await customer.client.get(CARDS, headers=customer.headers)).json()["data"] == []


@pytest.mark.parametrize(
    "change",
    [
        {"last_four": "12345"},
        {"expiry_month": "13"},
        {"expiry_year": "1999"},
        {"card_type": "CASH"},
        {"gateway_token": ""},
    ],
)
async def test_malformed_cards_are_400(customer: Customer, change: dict[str, str]) -> None:
    response = await customer.client.post(CARDS, headers=customer.headers, json={**CARD, **change})
    assert response.status_code == 400
    assert response.json()["error_code"] == "VAL_001"


async def test_expired_and_duplicate_cards_are_refused(customer: Customer) -> None:
    assert (await customer.client.post(CARDS, headers=customer.headers, json=CARD)).status_code == 201
    duplicate = await customer.client.post(CARDS, headers=customer.headers, json=CARD)
    expired = await customer.client.post(CARDS, headers=customer.headers, json={**CARD, "expiry_year": "2020"})
    assert (duplicate.status_code, expired.status_code) == (400, 400)
    assert "expiry_year" in expired.json()["errors"]


async def test_upi_ids_are_validated_and_kept_per_user(customer: Customer, client: Client, mailbox: Mailbox) -> None:
    headers = customer.headers
    saved = await client.post(UPI, headers=headers, json={"upi_id": "John.Doe@PayTM", "upi_nickname": "Primary UPI"})
    assert saved.status_code == 201, saved.text
    data = saved.json()["data"]
    assert (data["upi_id"], data["upi_nickname"], data["is_default"], data["is_active"]) == (
        "john.doe@paytm",
        "Primary UPI",
        True,
        True,
    )
    for bad in ("johndoe", "john@", "@paytm", "john doe@paytm"):
        refused = await client.post(UPI, headers=headers, json={"upi_id": bad})
        assert refused.status_code == 400, bad
    assert (await client.post(UPI, headers=headers, json={"upi_id": "john.doe@paytm"})).status_code == 400

    stranger = await new_customer(client, customer.container, mailbox)
    assert (await client.get(UPI, headers=stranger.headers)).json()["data"] == []
    assert (await client.delete(f"{UPI}{data['id']}/", headers=stranger.headers)).status_code == 404
    assert (await client.post(f"{UPI}set-default/{data['id']}/", headers=stranger.headers)).status_code == 404
    assert (await client.delete(f"{CARDS}{data['id']}/", headers=headers)).status_code == 404  # not a card
    assert (await client.delete(f"{UPI}{data['id']}/", headers=headers)).status_code == 200
    assert (await client.get(UPI, headers=headers)).json()["data"] == []


async def test_saved_methods_need_a_signed_in_customer(client: Client) -> None:
    for path in (CARDS, UPI):
        assert (await client.get(path)).status_code == 401
        assert (await client.post(path, json={})).status_code == 401
