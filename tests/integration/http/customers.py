"""Signed-in customers and the contract's example bodies, for the address, search and support tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from litestar import Litestar

from s2cart.entrypoints.container import Container, close_resources
from tests.integration.http.accounts import bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox

ADDRESSES = "/api/auth/addresses/"

# The contract's Address model, as a client would send it.
MUMBAI: dict[str, Any] = {
    "contact_name": "John Doe",
    "street_address": "123 Main Street",
    "street_address_2": "Apartment 4B",
    "landmark": "Near Central Mall",
    "city": "Mumbai",
    "state": "Maharashtra",
    "pin_code": "400001",
    "country": "India",
    "phone_number": "+919876543210",
    "address_type": "HOME",
    "latitude": 19.0760,
    "longitude": 72.8777,
}
# The contract's "Add New Address" request.
DELHI: dict[str, Any] = {
    "contact_name": "John Doe",
    "street_address": "456 Oak Avenue",
    "street_address_2": "Floor 2",
    "landmark": "Opposite City Hospital",
    "city": "Delhi",
    "state": "Delhi",
    "pin_code": "110001",
    "country": "India",
    "phone_number": "+919876543210",
    "address_type": "WORK",
    "latitude": 28.6139,
    "longitude": 77.2090,
}


async def signed_in(client: httpx.AsyncClient, mailbox: Mailbox) -> dict[str, str]:
    """Authorization headers of a new, verified customer signed in with a JWT."""
    account = await verified(client, mailbox)
    return bearer((await jwt_login(client, account))["access"])


async def add_address(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = await client.post(ADDRESSES, headers=headers, json={**MUMBAI, **overrides})
    assert response.status_code == 201, response.text
    return dict(response.json()["data"])


async def all_addresses(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get(ADDRESSES, headers=headers, params={"page_size": 100})
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


@asynccontextmanager
async def concurrent_client(app: Litestar, container: Container) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests really overlap: the app runs in this event loop (Litestar's test client runs
    it behind a blocking portal, one request at a time). Use it alone in a test: pooled connections belong
    to the loop that opened them."""
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
            yield client
    finally:
        await close_resources(container)
