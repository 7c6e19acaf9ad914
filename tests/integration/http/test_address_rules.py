"""Address validation, the per-user limit, and other users' ids: each refused with nothing changed."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import Client
from tests.integration.http.customers import ADDRESSES, DELHI, MUMBAI, add_address, all_addresses, signed_in
from tests.integration.mailbox import Mailbox


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pin_code": "012345"}, "pin_code"),
        ({"pin_code": "40001"}, "pin_code"),
        ({"pin_code": "4000011"}, "pin_code"),
        ({"pin_code": "40000A"}, "pin_code"),
        ({"pin_code": 400001}, "pin_code"),
        ({"phone_number": "12345"}, "phone_number"),
        ({"phone_number": "+1 2025550123"}, "phone_number"),
        ({"address_type": "PALACE"}, "address_type"),
        ({"latitude": 90.5}, "latitude"),
        ({"latitude": -91}, "latitude"),
        ({"latitude": "NaN"}, "latitude"),
        ({"latitude": "1e400"}, "latitude"),
        ({"longitude": 180.0001}, "longitude"),
        ({"longitude": -181}, "longitude"),
        ({"longitude": None}, "longitude"),
        ({"latitude": None}, "latitude"),
        ({"contact_name": None}, "contact_name"),
        ({"contact_name": "x" * 101}, "contact_name"),
        ({"street_address": "   "}, "street_address"),
        ({"street_address": "x" * 256}, "street_address"),
        ({"landmark": "x" * 256}, "landmark"),
        ({"city": ""}, "city"),
        ({"state": "Maha\x00rashtra"}, "state"),
        ({"country": "USA"}, "country"),
    ],
)
async def test_each_bad_field_is_a_400_naming_it_and_stores_nothing(
    client: Client, mailbox: Mailbox, changes: dict[str, Any], field: str
) -> None:
    headers = await signed_in(client, mailbox)
    response = await client.post(ADDRESSES, headers=headers, json={**MUMBAI, **changes})
    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["status"], body["error_code"]) == ("error", "VAL_001")
    assert field in body["errors"], body
    assert await all_addresses(client, headers) == []


async def test_a_missing_required_field_is_named(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    for field in ("contact_name", "street_address", "city", "state", "pin_code", "phone_number"):
        body = {k: v for k, v in MUMBAI.items() if k != field}
        response = await client.post(ADDRESSES, headers=headers, json=body)
        assert response.status_code == 400
        assert response.json()["errors"] == {field: ["This field is required."]}
    assert await all_addresses(client, headers) == []


async def test_every_problem_is_reported_at_once(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    body = {**MUMBAI, "pin_code": "000000", "phone_number": "123", "latitude": 100, "city": " "}
    response = await client.post(ADDRESSES, headers=headers, json=body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"pin_code", "phone_number", "latitude", "city"}


async def test_pin_code_and_country_are_normalised(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    data = await add_address(client, headers, pin_code=" 400 001 ", country="india", contact_name="  John   Doe ")
    assert (data["pin_code"], data["country"], data["contact_name"]) == ("400001", "India", "John Doe")


async def test_coordinates_keep_six_decimal_places(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    data = await add_address(client, headers, latitude=-89.12345678, longitude="180")
    assert (data["latitude"], data["longitude"]) == (-89.123457, 180.0)
    stored = (await all_addresses(client, headers))[0]
    assert (stored["latitude"], stored["longitude"]) == (-89.123457, 180.0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pin_code": "0"}, "pin_code"),
        ({"city": None}, "city"),
        ({"city": "  "}, "city"),
        ({"phone_number": "5555555555"}, "phone_number"),
        ({"address_type": "home"}, "address_type"),
        ({"latitude": None}, "latitude"),
        ({"longitude": 200}, "longitude"),
    ],
)
async def test_a_bad_patch_is_400_and_changes_nothing(
    client: Client, mailbox: Mailbox, body: dict[str, Any], field: str
) -> None:
    headers = await signed_in(client, mailbox)
    created = await add_address(client, headers)
    response = await client.patch(f"{ADDRESSES}{created['id']}/", headers=headers, json={"landmark": "New", **body})
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert await all_addresses(client, headers) == [created]


async def test_coordinates_must_come_as_a_pair_on_update_too(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    created = await add_address(client, headers, latitude=None, longitude=None)
    response = await client.patch(f"{ADDRESSES}{created['id']}/", headers=headers, json={"latitude": 19.07})
    assert response.status_code == 400
    assert "longitude" in response.json()["errors"]
    both = await client.patch(
        f"{ADDRESSES}{created['id']}/", headers=headers, json={"latitude": 19.07, "longitude": 72.87}
    )
    assert (both.json()["data"]["latitude"], both.json()["data"]["longitude"]) == (19.07, 72.87)


async def test_twenty_addresses_by_default_and_no_more(client: Client, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    for n in range(20):
        await add_address(client, headers, contact_name=f"Person {n}")
    response = await client.post(ADDRESSES, headers=headers, json=DELHI)
    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "ADDR_001"
    assert body["errors"] == {"non_field_errors": ["You can save at most 20 addresses."]}
    assert len(await all_addresses(client, headers)) == 20
    # Deleting one makes room again.
    first = (await all_addresses(client, headers))[0]
    await client.delete(f"{ADDRESSES}{first['id']}/", headers=headers)
    assert (await client.post(ADDRESSES, headers=headers, json=DELHI)).status_code == 201


async def test_the_limit_comes_from_settings(settings: Settings, mailbox: Mailbox) -> None:
    app = create_app(container=build_container(msgspec.structs.replace(settings, max_addresses=2)))
    async with AsyncTestClient(app=app) as client:
        headers = await signed_in(client, mailbox)
        await add_address(client, headers)
        await add_address(client, headers)
        response = await client.post(ADDRESSES, headers=headers, json=DELHI)
        assert response.status_code == 400
        assert response.json()["errors"] == {"non_field_errors": ["You can save at most 2 addresses."]}


async def test_another_users_address_is_404_everywhere_and_stays_unchanged(client: Client, mailbox: Mailbox) -> None:
    owner = await signed_in(client, mailbox)
    stranger = await signed_in(client, mailbox)
    mine = await add_address(client, owner)
    await add_address(client, owner, **DELHI)
    theirs = await add_address(client, stranger)
    before = await all_addresses(client, owner)

    for address_id in (mine["id"], 999_999, 2**31, 2**63):
        for method, path, body in [
            ("PATCH", f"{ADDRESSES}{address_id}/", {"city": "Pune"}),
            ("DELETE", f"{ADDRESSES}{address_id}/", None),
            ("POST", f"{ADDRESSES}set-default/{address_id}/", None),
        ]:
            response = await client.request(method, path, headers=stranger, json=body)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["message"] == "Address not found"

    assert await all_addresses(client, owner) == before
    assert [a["id"] for a in await all_addresses(client, stranger)] == [theirs["id"]]
    assert (await client.get(f"{ADDRESSES}default/", headers=stranger)).json()["data"]["id"] == theirs["id"]


async def test_addresses_need_a_signed_in_verified_customer(client: Client, mailbox: Mailbox) -> None:
    assert (await client.get(ADDRESSES)).status_code == 401
    assert (await client.post(ADDRESSES, json=MUMBAI)).status_code == 401
    assert (await client.get(f"{ADDRESSES}default/")).status_code == 401
    assert (await client.delete(f"{ADDRESSES}1/")).status_code == 401
