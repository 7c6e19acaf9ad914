"""The address book over HTTP: the contract's shapes, the default-address rule, ownership."""

from __future__ import annotations

import pytest

from tests.integration.http.accounts import Client
from tests.integration.http.customers import ADDRESSES, DELHI, MUMBAI, add_address, all_addresses, signed_in
from tests.integration.mailbox import Mailbox

ADDRESS_FIELDS = {
    "id",
    "contact_name",
    "street_address",
    "street_address_2",
    "landmark",
    "city",
    "state",
    "pin_code",
    "country",
    "phone_number",
    "address_type",
    "latitude",
    "longitude",
    "is_default",
    "is_verified",
    "full_address",
    "created_at",
    "updated_at",
}


async def test_the_first_address_is_the_default_and_has_every_contract_field(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    response = await client.post(ADDRESSES, headers=headers, json=MUMBAI)
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["code"], body["message"]) == ("success", 201, "Address added successfully")
    data = body["data"]
    assert set(data) == ADDRESS_FIELDS
    assert data["full_address"] == "123 Main Street, Apartment 4B, Near Central Mall, Mumbai, Maharashtra 400001, India"
    assert (data["is_default"], data["is_verified"]) == (True, False)
    assert (data["latitude"], data["longitude"]) == (19.076, 72.8777)
    assert data["created_at"].endswith("Z") and data["updated_at"] == data["created_at"]
    assert {k: data[k] for k in MUMBAI} == MUMBAI


async def test_later_addresses_are_not_default_and_empty_parts_leave_full_address(
    client: Client, mailbox: Mailbox
) -> None:
    headers = await signed_in(client, mailbox)
    await add_address(client, headers)
    second = await add_address(
        client,
        headers,
        **{**DELHI, "street_address_2": "", "landmark": None, "phone_number": "98765 43211"},
    )
    assert second["is_default"] is False
    assert second["full_address"] == "456 Oak Avenue, Delhi, Delhi 110001, India"
    assert (second["street_address_2"], second["landmark"]) == ("", "")
    assert second["phone_number"] == "+919876543211"


async def test_optional_fields_may_be_left_out(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    required = {k: MUMBAI[k] for k in ("contact_name", "street_address", "city", "state", "pin_code", "phone_number")}
    response = await client.post(ADDRESSES, headers=headers, json=required)
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert (data["country"], data["address_type"], data["latitude"], data["longitude"]) == ("India", "HOME", None, None)
    assert data["full_address"] == "123 Main Street, Mumbai, Maharashtra 400001, India"


async def test_list_is_paginated_default_first(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    first = await add_address(client, headers)
    others = [await add_address(client, headers, contact_name=f"Person {n}") for n in range(3)]
    response = await client.get(ADDRESSES, headers=headers, params={"page_size": 2})
    body = response.json()
    assert response.status_code == 200
    assert [a["id"] for a in body["data"]] == [first["id"], others[-1]["id"]]
    assert body["pagination"] == {
        "page": 1,
        "page_size": 2,
        "total_pages": 2,
        "total_count": 4,
        "has_next": True,
        "has_previous": False,
        "next_url": "/api/auth/addresses/?page_size=2&page=2",
        "previous_url": None,
    }
    assert set(body["data"][0]) == ADDRESS_FIELDS
    by_name = await client.get(ADDRESSES, headers=headers, params={"ordering": "contact_name"})
    assert [a["contact_name"] for a in by_name.json()["data"]] == ["John Doe", "Person 0", "Person 1", "Person 2"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"ordering": "phone_number"}, "ordering"), ({"page_size": 0}, "page_size"), ({"page": 0}, "page")],
)
async def test_bad_list_parameters_are_400(
    client: Client, mailbox: Mailbox, params: dict[str, object], field: str
) -> None:
    headers = await signed_in(client, mailbox)
    response = await client.get(ADDRESSES, headers=headers, params=params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


async def test_set_default_moves_the_default(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    first = await add_address(client, headers)
    second = await add_address(client, headers, **DELHI)
    response = await client.post(f"{ADDRESSES}set-default/{second['id']}/", headers=headers)
    assert response.status_code == 200
    assert response.json()["message"] == "Default address updated successfully"
    assert response.json()["data"]["id"] == second["id"] and response.json()["data"]["is_default"] is True
    defaults = {a["id"]: a["is_default"] for a in await all_addresses(client, headers)}
    assert defaults == {first["id"]: False, second["id"]: True}
    default = await client.get(f"{ADDRESSES}default/", headers=headers)
    assert default.status_code == 200
    assert default.json()["data"]["id"] == second["id"]
    again = await client.post(f"{ADDRESSES}set-default/{second['id']}/", headers=headers)
    assert again.status_code == 200
    assert [a["id"] for a in await all_addresses(client, headers) if a["is_default"]] == [second["id"]]


async def test_deleting_the_default_promotes_the_most_recently_updated(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    first = await add_address(client, headers)
    second = await add_address(client, headers, contact_name="Second")
    third = await add_address(client, headers, contact_name="Third")
    edited = await client.patch(f"{ADDRESSES}{second['id']}/", headers=headers, json={"landmark": "Near Metro"})
    assert edited.status_code == 200

    response = await client.delete(f"{ADDRESSES}{first['id']}/", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"status": "success", "code": 200, "message": "Address deleted successfully"}
    assert {a["id"]: a["is_default"] for a in await all_addresses(client, headers)} == {
        second["id"]: True,
        third["id"]: False,
    }
    # Deleting one that is not the default leaves the default alone.
    await client.delete(f"{ADDRESSES}{third['id']}/", headers=headers)
    assert (await client.get(f"{ADDRESSES}default/", headers=headers)).json()["data"]["id"] == second["id"]


async def test_no_addresses_means_no_default(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    empty = await client.get(f"{ADDRESSES}default/", headers=headers)
    assert empty.status_code == 404
    assert empty.json()["status"] == "error" and empty.json()["message"] == "No default address"
    only = await add_address(client, headers)
    assert (await client.delete(f"{ADDRESSES}{only['id']}/", headers=headers)).status_code == 200
    assert (await client.get(f"{ADDRESSES}default/", headers=headers)).status_code == 404
    assert (await client.delete(f"{ADDRESSES}{only['id']}/", headers=headers)).status_code == 404


async def test_patch_changes_only_the_fields_sent(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    first = await add_address(client, headers)
    second = await add_address(client, headers, **DELHI)
    response = await client.patch(
        f"{ADDRESSES}{second['id']}/",
        headers=headers,
        json={
            "street_address": "456 Oak Avenue Updated",
            "landmark": "Near Metro Station",
            "is_default": True,
            "is_verified": True,
            "id": first["id"],
            "user_id": 1,
        },
    )
    assert response.status_code == 200
    assert response.json()["message"] == "Address updated successfully"
    data = response.json()["data"]
    assert data["id"] == second["id"]
    assert (data["street_address"], data["landmark"], data["city"]) == (
        "456 Oak Avenue Updated",
        "Near Metro Station",
        "Delhi",
    )
    assert data["full_address"] == "456 Oak Avenue Updated, Floor 2, Near Metro Station, Delhi, Delhi 110001, India"
    assert (data["is_default"], data["is_verified"]) == (False, False)
    assert data["updated_at"] >= second["updated_at"]
    stored = {a["id"]: a for a in await all_addresses(client, headers)}
    assert stored[second["id"]]["street_address"] == "456 Oak Avenue Updated"
    assert stored[first["id"]] == first  # untouched, and still the default
    cleared = await client.patch(
        f"{ADDRESSES}{second['id']}/", headers=headers, json={"latitude": None, "longitude": None, "landmark": None}
    )
    assert (cleared.json()["data"]["latitude"], cleared.json()["data"]["landmark"]) == (None, "")


async def test_is_verified_is_never_taken_from_the_client(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    created = await add_address(client, headers, is_verified=True, is_default=False)
    assert (created["is_verified"], created["is_default"]) == (False, True)


async def test_the_profile_lists_saved_addresses_in_the_address_shape(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    first = await add_address(client, headers)
    second = await add_address(client, headers, **DELHI)
    await client.post(f"{ADDRESSES}set-default/{second['id']}/", headers=headers)
    saved = (await client.get("/api/auth/profile/", headers=headers)).json()["data"]["saved_addresses"]
    assert [a["id"] for a in saved] == [second["id"], first["id"]]
    assert set(saved[0]) == ADDRESS_FIELDS
    assert saved[0]["is_default"] is True
