"""Support tickets over HTTP: the contract's shapes, the conversation, reopening, validation, ownership."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from s2cart.domain.support.ticket import TicketStatus
from s2cart.entrypoints.container import Container, build_container, close_resources
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import Client
from tests.integration.http.customers import signed_in
from tests.integration.mailbox import Mailbox

TICKETS = "/api/auth/support/tickets/"
TICKET_FIELDS = {
    "id",
    "subject",
    "description",
    "status",
    "priority",
    "category",
    "created_at",
    "updated_at",
    "messages",
}
MESSAGE_FIELDS = {"id", "message", "is_user_message", "timestamp", "attachment_url"}
DELIVERY = {
    "subject": "Order Delivery Issue",
    "description": "My order was not delivered on the expected date",
    "category": "delivery",
    "priority": "MEDIUM",
}


@pytest.fixture
async def staff(settings: Settings) -> AsyncIterator[Container]:
    """The operator's side, as the CLI runs it: a container (and pool) of its own in this event loop."""
    container = build_container(settings)
    yield container
    await close_resources(container)


async def _open(client: Client, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = await client.post(TICKETS, headers=headers, json={**DELIVERY, **overrides})
    assert response.status_code == 201, response.text
    return dict(response.json()["data"])


async def _ticket(client: Client, headers: dict[str, str], ticket_id: int) -> dict[str, Any]:
    response = await client.get(f"{TICKETS}{ticket_id}/", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json()["data"])


async def _write(client: Client, headers: dict[str, str], ticket_id: int, text: str, **extra: Any) -> Any:
    return await client.post(f"{TICKETS}{ticket_id}/messages/", headers=headers, json={"message": text, **extra})


async def test_opening_a_ticket_makes_the_description_its_first_message(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    response = await client.post(TICKETS, headers=headers, json={**DELIVERY, "status": "CLOSED", "id": 77})
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["message"]) == (201, "Support ticket created successfully")
    data = body["data"]
    assert set(data) == TICKET_FIELDS
    assert (data["subject"], data["status"], data["priority"], data["category"]) == (
        "Order Delivery Issue",
        "OPEN",
        "MEDIUM",
        "delivery",
    )
    assert data["created_at"].endswith("Z")
    [first] = data["messages"]
    assert set(first) == MESSAGE_FIELDS
    assert (first["message"], first["is_user_message"], first["attachment_url"]) == (
        DELIVERY["description"],
        True,
        None,
    )
    assert first["timestamp"] == data["created_at"]
    assert await _ticket(client, headers, data["id"]) == data


async def test_priority_defaults_to_medium(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    body = {k: v for k, v in DELIVERY.items() if k != "priority"}
    response = await client.post(TICKETS, headers=headers, json=body)
    assert response.json()["data"]["priority"] == "MEDIUM"


async def test_the_list_is_paginated_filterable_and_carries_messages(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    payment = await _open(client, headers, subject="Payment Issue", category="payment", priority="HIGH")
    delivery = await _open(client, headers)
    low = await _open(client, headers, subject="Question", category="other", priority="LOW")
    await _write(client, headers, payment["id"], "Any news?")

    response = await client.get(TICKETS, headers=headers, params={"page_size": 2})
    body = response.json()
    assert response.status_code == 200
    assert [t["id"] for t in body["data"]] == [payment["id"], low["id"]]  # most recently active first
    assert set(body["data"][0]) == TICKET_FIELDS
    assert [m["message"] for m in body["data"][0]["messages"]] == [
        payment["description"],
        "Any news?",
    ]
    assert body["pagination"]["total_count"] == 3 and body["pagination"]["has_next"] is True

    by_priority = await client.get(TICKETS, headers=headers, params={"ordering": "-priority"})
    assert [t["priority"] for t in by_priority.json()["data"]] == ["HIGH", "MEDIUM", "LOW"]
    oldest_first = await client.get(TICKETS, headers=headers, params={"ordering": "created_at"})
    assert [t["id"] for t in oldest_first.json()["data"]] == [payment["id"], delivery["id"], low["id"]]
    open_only = await client.get(TICKETS, headers=headers, params={"status": "OPEN"})
    assert open_only.json()["pagination"]["total_count"] == 3
    closed = await client.get(TICKETS, headers=headers, params={"status": "CLOSED"})
    assert closed.json()["data"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "DONE"}, "status"), ({"ordering": "subject"}, "ordering"), ({"page_size": 0}, "page_size")],
)
async def test_bad_list_parameters_are_400(
    client: Client, mailbox: Mailbox, params: dict[str, Any], field: str
) -> None:
    headers = await signed_in(client, mailbox)
    response = await client.get(TICKETS, headers=headers, params=params)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


async def test_a_message_is_added_in_the_contracts_shape(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    ticket = await _open(client, headers)
    text = "I have checked the tracking and it shows delivered but I haven't received it"
    url = "https://domain.com/media/attachments/proof.jpg"
    response = await _write(client, headers, ticket["id"], text, attachment_url=url, is_user_message=False)
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["message"]) == (201, "Message added to ticket")
    data = body["data"]
    assert set(data) == MESSAGE_FIELDS
    assert (data["message"], data["is_user_message"], data["attachment_url"]) == (text, True, url)
    detail = await _ticket(client, headers, ticket["id"])
    assert [m["id"] for m in detail["messages"]] == [ticket["messages"][0]["id"], data["id"]]
    assert detail["status"] == "OPEN"
    assert detail["updated_at"] == data["timestamp"]


async def test_a_customer_message_reopens_a_resolved_or_closed_ticket(
    client: Client, staff: Container, mailbox: Mailbox
) -> None:
    headers = await signed_in(client, mailbox)
    ticket = await _open(client, headers)
    await staff.reply_to_ticket()(ticket["id"], "We are looking into it.")
    assert (await _ticket(client, headers, ticket["id"]))["status"] == "IN_PROGRESS"
    assert (await _write(client, headers, ticket["id"], "Thanks")).status_code == 201
    assert (await _ticket(client, headers, ticket["id"]))["status"] == "IN_PROGRESS"  # still being worked on

    for path in ([TicketStatus.RESOLVED], [TicketStatus.IN_PROGRESS, TicketStatus.CLOSED]):
        for status in path:
            await staff.set_ticket_status()(ticket["id"], status)
        assert (await _ticket(client, headers, ticket["id"]))["status"] == path[-1].value
        assert (await _write(client, headers, ticket["id"], "It happened again")).status_code == 201
        detail = await _ticket(client, headers, ticket["id"])
        assert detail["status"] == "OPEN"
    replies = [m for m in detail["messages"] if not m["is_user_message"]]
    assert [m["message"] for m in replies] == ["We are looking into it."]


async def test_a_customer_cannot_set_a_status(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    ticket = await _open(client, headers)
    for method in ("PATCH", "PUT"):
        response = await client.request(method, f"{TICKETS}{ticket['id']}/", headers=headers, json={"status": "CLOSED"})
        assert response.status_code == 405
    await _write(client, headers, ticket["id"], "Close it please", status="CLOSED")
    assert (await _ticket(client, headers, ticket["id"]))["status"] == "OPEN"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"description": "  "}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"description": None}, "description"),
        ({"category": "billing"}, "category"),
        ({"category": "PAYMENT"}, "category"),
        ({"priority": "URGENT"}, "priority"),
    ],
)
async def test_bad_tickets_are_400_and_store_nothing(
    client: Client, mailbox: Mailbox, changes: dict[str, Any], field: str
) -> None:
    headers = await signed_in(client, mailbox)
    response = await client.post(TICKETS, headers=headers, json={**DELIVERY, **changes})
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert (await client.get(TICKETS, headers=headers)).json()["data"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "\n \t"}, "message"),
        ({"message": "x" * 5001}, "message"),
        ({}, "message"),
        ({"message": "see", "attachment_url": "http://domain.com/proof.jpg"}, "attachment_url"),
        ({"message": "see", "attachment_url": "file:///etc/passwd"}, "attachment_url"),
        ({"message": "see", "attachment_url": "https://" + "x" * 500}, "attachment_url"),
    ],
)
async def test_bad_messages_are_400_and_change_nothing(
    client: Client, mailbox: Mailbox, body: dict[str, Any], field: str
) -> None:
    headers = await signed_in(client, mailbox)
    ticket = await _open(client, headers)
    response = await client.post(f"{TICKETS}{ticket['id']}/messages/", headers=headers, json=body)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert await _ticket(client, headers, ticket["id"]) == ticket


async def test_another_users_ticket_is_404_and_stays_unchanged(
    client: Client, staff: Container, mailbox: Mailbox
) -> None:
    owner = await signed_in(client, mailbox)
    stranger = await signed_in(client, mailbox)
    ticket = await _open(client, owner)
    await staff.set_ticket_status()(ticket["id"], TicketStatus.RESOLVED)
    before = await _ticket(client, owner, ticket["id"])

    for ticket_id in (ticket["id"], 999_999, 2**31, 2**63):
        detail = await client.get(f"{TICKETS}{ticket_id}/", headers=stranger)
        assert detail.status_code == 404
        assert detail.json()["message"] == "Ticket not found"
        write = await _write(client, stranger, ticket_id, "I reopen your ticket")
        assert write.status_code == 404
        assert write.json()["message"] == "Ticket not found"

    assert await _ticket(client, owner, ticket["id"]) == before
    assert (await client.get(TICKETS, headers=stranger)).json()["data"] == []
    assert (await client.get(TICKETS)).status_code == 401
    assert (await client.get(f"{TICKETS}{ticket['id']}/")).status_code == 401
    assert (await _write(client, {}, ticket["id"], "anonymous")).status_code == 401
