"""Invariants that must hold with 20-24 requests in flight at once, through the HTTP app (on SQLite and, with
S2CART_TEST_DATABASE_URL, on PostgreSQL where the requests really interleave)."""

from __future__ import annotations

import asyncio
from collections import Counter

from litestar import Litestar

from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.customers import concurrent_client
from tests.integration.mailbox import Mailbox

# One product with stock to spare in each of the demo catalog's six stores.
STORES = {
    "store_123": "prod_001",
    "store_456": "prod_002",
    "store_789": "prod_101",
    "store_321": "prod_201",
    "store_654": "prod_301",
    "store_987": "prod_401",
}
PER_STORE = 4


async def test_two_dozen_parallel_adds_across_six_stores_open_five_carts(
    app: Litestar, container: Container, mailbox: Mailbox
) -> None:
    await load_demo_catalog(container)
    async with concurrent_client(app, container) as client:
        headers = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])  # type: ignore[arg-type]
        attempts = [store for store in STORES for _ in range(PER_STORE)]
        responses = await asyncio.gather(
            *(
                client.post(
                    "/api/auth/cart/items/", headers=headers, json={"store_id": store, "product_id": STORES[store]}
                )
                for store in attempts
            )
        )
        accepted = Counter(store for store, r in zip(attempts, responses, strict=True) if r.status_code == 201)
        refused = [r for r in responses if r.status_code != 201]
        assert all(r.status_code == 400 and r.json()["error_code"] == "CART_001" for r in refused), [
            r.text for r in refused
        ]
        assert len(accepted) == 5 and set(accepted.values()) == {PER_STORE}, accepted
        carts = (await client.get("/api/auth/carts/", headers=headers)).json()["data"]
        assert sorted(c["store_id"] for c in carts) == sorted(accepted)
        assert all(
            [(i["product_id"], i["quantity"]) for i in c["items"]] == [(STORES[c["store_id"]], PER_STORE)]
            for c in carts
        ), carts


async def test_twenty_parallel_checkouts_of_one_cart_make_one_order(
    app: Litestar, container: Container, mailbox: Mailbox
) -> None:
    await load_demo_catalog(container)
    async with concurrent_client(app, container) as client:
        headers = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])  # type: ignore[arg-type]
        address = {
            "contact_name": "John Doe",
            "street_address": "123 Main Street",
            "city": "Mumbai",
            "state": "Maharashtra",
            "pin_code": "400001",
            "phone_number": "+919876543210",
        }
        address_id = (await client.post("/api/auth/addresses/", headers=headers, json=address)).json()["data"]["id"]
        item = {"store_id": "store_123", "product_id": "prod_001", "quantity": 3}
        assert (await client.post("/api/auth/cart/items/", headers=headers, json=item)).status_code == 201
        cart_id = (await client.get("/api/auth/carts/store/store_123/", headers=headers)).json()["data"]["id"]
        body = {"cart_id": cart_id, "shipping_address_id": address_id}
        responses = await asyncio.gather(
            *(client.post("/api/auth/orders/", headers=headers, json=body) for _ in range(20))
        )
        assert sorted(r.status_code for r in responses) == [201] + [409] * 19, [r.text for r in responses]
        assert all(r.json()["error_code"] == "ORDER_002" for r in responses if r.status_code == 409)
        orders = (await client.get("/api/auth/orders/", headers=headers)).json()
        assert orders["pagination"]["total_count"] == 1
        async with container.uow() as uow:
            product = await uow.catalog.product("store_123", "prod_001")
        assert product is not None and product.stock == 97
