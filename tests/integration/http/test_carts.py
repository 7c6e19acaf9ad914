from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import event

from s2cart.application.catalog.catalog_document import parse_catalog_document
from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.customers import concurrent_client
from tests.integration.mailbox import Mailbox


@pytest.fixture
async def shopper(client: Client, container: Container, mailbox: Mailbox) -> dict[str, str]:
    await load_demo_catalog(container)
    account = await verified(client, mailbox)
    return bearer((await jwt_login(client, account))["access"])


async def add(client: Client, headers: dict[str, str], **body: Any) -> Any:
    return await client.post("/api/auth/cart/items/", headers=headers, json=body)


async def test_add_item_opens_the_store_cart_at_the_catalog_price(client: Client, shopper: dict[str, str]) -> None:
    response = await add(
        client,
        shopper,
        store_id="store_123",
        product_id="prod_002",
        product_name="Cheap Speaker",
        product_image_url="https://evil.example.com/x.jpg",
        quantity=1,
        unit_price=0.01,
        product_variant={"color": "Black", "size": "Medium"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["message"] == "Item added to cart"
    item = body["data"]
    assert (item["product_name"], item["unit_price"], item["total_price"]) == ("Bluetooth Speaker", 750.0, 750.0)
    assert item["product_variant"] == {"color": "Black", "size": "Medium"}
    assert "evil" not in str(item)

    carts = (await client.get("/api/auth/carts/", headers=shopper)).json()
    assert carts["message"] == "Found 1 carts"
    cart = carts["data"][0]
    assert (cart["store_id"], cart["store_name"], cart["item_count"], cart["total_price"]) == (
        "store_123",
        "SuperMart",
        1,
        750.0,
    )
    assert (cart["applied_coupon"], cart["coupon_discount"]) == (None, 0)


async def test_same_product_and_variant_merge_into_one_line(client: Client, shopper: dict[str, str]) -> None:
    first = (await add(client, shopper, store_id="store_123", product_id="prod_001", quantity=2)).json()["data"]
    second = (await add(client, shopper, store_id="store_123", product_id="prod_001", quantity=3)).json()["data"]
    assert first["id"] == second["id"]
    assert (second["quantity"], second["total_price"]) == (5, 2500.0)
    other = (
        await add(client, shopper, store_id="store_123", product_id="prod_001", product_variant={"color": "Red"})
    ).json()["data"]
    assert other["id"] != first["id"]
    cart = (await client.get("/api/auth/carts/store/store_123/", headers=shopper)).json()["data"]
    assert (len(cart["items"]), cart["item_count"], cart["total_price"]) == (2, 6, 3000.0)


async def test_exact_totals_in_paise(client: Client, shopper: dict[str, str]) -> None:
    await add(client, shopper, store_id="store_123", product_id="prod_003", quantity=3)
    cart = (await client.get("/api/auth/carts/store/store_123/", headers=shopper)).json()["data"]
    assert cart["total_price"] == 751.5
    assert cart["items"][0]["unit_price"] == 250.5


async def test_update_and_remove_a_line(client: Client, shopper: dict[str, str]) -> None:
    item = (await add(client, shopper, store_id="store_123", product_id="prod_001")).json()["data"]
    updated = await client.patch(f"/api/auth/cart/items/{item['id']}/", headers=shopper, json={"quantity": 4})
    assert updated.status_code == 200
    assert updated.json()["message"] == "Cart item updated"
    assert (updated.json()["data"]["quantity"], updated.json()["data"]["total_price"]) == (4, 2000.0)
    removed = await client.delete(f"/api/auth/cart/items/{item['id']}/", headers=shopper)
    assert removed.status_code == 200
    assert removed.json()["message"] == "Item removed from cart"
    cart = (await client.get("/api/auth/carts/store/store_123/", headers=shopper)).json()["data"]
    assert cart["items"] == []
    again = await client.delete(f"/api/auth/cart/items/{item['id']}/", headers=shopper)
    assert again.status_code == 404


@pytest.mark.parametrize("quantity", [0, -1, 100, "two"])
async def test_bad_quantities_are_400(client: Client, shopper: dict[str, str], quantity: object) -> None:
    response = await add(client, shopper, store_id="store_123", product_id="prod_001", quantity=quantity)
    assert response.status_code == 400
    assert response.json()["status"] == "error"
    assert (await client.get("/api/auth/carts/", headers=shopper)).json()["data"] == []


@pytest.mark.parametrize("price", [-1, "abc"])
async def test_a_nonsense_client_price_is_400(client: Client, shopper: dict[str, str], price: object) -> None:
    response = await add(client, shopper, store_id="store_123", product_id="prod_001", unit_price=price)
    assert response.status_code == 400
    assert "unit_price" in response.json()["errors"]


async def test_unknown_store_product_and_stock(client: Client, shopper: dict[str, str]) -> None:
    store = await add(client, shopper, store_id="store_nope", product_id="prod_001")
    assert store.json()["error_code"] == "CART_002"
    product = await add(client, shopper, store_id="store_123", product_id="prod_999")
    assert product.status_code == 404
    stock = await add(client, shopper, store_id="store_456", product_id="prod_004", quantity=3)
    assert stock.json()["error_code"] == "CART_003"
    sold_out = await add(client, shopper, store_id="store_456", product_id="prod_005")
    assert sold_out.json()["error_code"] == "CART_003"
    item = (await add(client, shopper, store_id="store_456", product_id="prod_004", quantity=2)).json()["data"]
    more = await client.patch(f"/api/auth/cart/items/{item['id']}/", headers=shopper, json={"quantity": 3})
    assert more.json()["error_code"] == "CART_003"


async def test_five_carts_at_most(client: Client, shopper: dict[str, str]) -> None:
    stores = ["store_123", "store_456", "store_789", "store_321", "store_654"]
    for store in stores:
        response = await client.post("/api/auth/carts/", headers=shopper, json={"store_id": store})
        assert response.status_code == 201
        assert response.json()["message"] == "Cart created successfully"
    existing = await client.post("/api/auth/carts/", headers=shopper, json={"store_id": "store_123", "store_name": "X"})
    assert existing.status_code == 200
    assert existing.json()["data"]["store_name"] == "SuperMart"
    sixth = await client.post("/api/auth/carts/", headers=shopper, json={"store_id": "store_987"})
    assert sixth.status_code == 400
    assert sixth.json()["error_code"] == "CART_001"
    via_item = await add(client, shopper, store_id="store_987", product_id="prod_401")
    assert via_item.json()["error_code"] == "CART_001"
    cleared = await client.post("/api/auth/cart/clear/", headers=shopper, json={"store_id": "store_654"})
    assert cleared.json()["message"] == "Cart cleared successfully"
    assert (await add(client, shopper, store_id="store_987", product_id="prod_401")).status_code == 201


async def test_clear_all(client: Client, shopper: dict[str, str]) -> None:
    await add(client, shopper, store_id="store_123", product_id="prod_001")
    await add(client, shopper, store_id="store_456", product_id="prod_002")
    assert (await client.post("/api/auth/cart/clear/", headers=shopper, json={})).status_code == 200
    assert (await client.get("/api/auth/carts/", headers=shopper)).json()["data"] == []
    profile = (await client.get("/api/auth/profile/", headers=shopper)).json()["data"]
    assert profile["total_carts_count"] == 0


async def test_another_users_cart_lines_are_404(
    client: Client, container: Container, shopper: dict[str, str], mailbox: Mailbox
) -> None:
    item = (await add(client, shopper, store_id="store_123", product_id="prod_001")).json()["data"]
    other = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])
    patch = await client.patch(f"/api/auth/cart/items/{item['id']}/", headers=other, json={"quantity": 9})
    delete = await client.delete(f"/api/auth/cart/items/{item['id']}/", headers=other)
    missing = await client.delete("/api/auth/cart/items/987654/", headers=other)
    assert patch.status_code == delete.status_code == missing.status_code == 404
    assert patch.json()["message"] == missing.json()["message"]
    assert (await client.get("/api/auth/carts/store/store_123/", headers=other)).status_code == 404
    mine = (await client.get("/api/auth/carts/store/store_123/", headers=shopper)).json()["data"]
    assert mine["items"][0]["quantity"] == 1
    assert (await client.get("/api/auth/carts/")).status_code == 401


async def test_parallel_adds_of_one_product_merge(app: Litestar, container: Container, mailbox: Mailbox) -> None:
    await load_demo_catalog(container)
    # A client whose requests really overlap (Litestar's test client serves one at a time).
    async with concurrent_client(app, container) as client:
        headers = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])  # type: ignore[arg-type]
        responses = await asyncio.gather(
            *(add(client, headers, store_id="store_123", product_id="prod_001") for _ in range(10))  # type: ignore[arg-type]
        )
        assert all(r.status_code == 201 for r in responses), [r.text for r in responses if r.status_code != 201]
        cart = (await client.get("/api/auth/carts/store/store_123/", headers=headers)).json()["data"]
        assert [(i["product_id"], i["quantity"]) for i in cart["items"]] == [("prod_001", 10)]


async def test_listing_carts_costs_the_same_statements_for_1_or_5_carts(
    client: Client, container: Container, mailbox: Mailbox
) -> None:
    await load_demo_catalog(container)
    small = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])
    big = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])
    bulk = {
        "stores": [{"id": f"bulk_{s}", "name": f"Bulk {s}"} for s in range(5)],
        "products": [
            {"store_id": f"bulk_{s}", "id": f"p{n}", "name": f"Item {n}", "price": "10.00"}
            for s in range(5)
            for n in range(20)
        ],
    }
    await container.load_catalog()(parse_catalog_document(bulk))
    await add(client, small, store_id="store_123", product_id="prod_001")
    for s in range(5):
        for n in range(20):
            assert (await add(client, big, store_id=f"bulk_{s}", product_id=f"p{n}")).status_code == 201

    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    engine = container.engine().sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        await client.get("/api/auth/carts/", headers=small)
        for_one = len(statements)
        statements.clear()
        listing = await client.get("/api/auth/carts/", headers=big)
        for_five = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert sum(len(c["items"]) for c in listing.json()["data"]) == 100
    assert for_one == for_five
