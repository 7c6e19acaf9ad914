"""POST /orders/quote/ and the coupon held on a cart (POST/DELETE /carts/store/{store_id}/coupon/)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from s2cart.adapters.persistence.tables.catalog import products
from s2cart.adapters.persistence.tables.orders import orders
from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.test_orders import Shopper, new_shopper, stock_of
from tests.integration.mailbox import Mailbox

QUOTE = "/api/auth/orders/quote/"


@pytest.fixture
async def shopper(client: Client, container: Container, mailbox: Mailbox) -> Shopper:
    await load_demo_catalog(container)
    return await new_shopper(client, mailbox)


async def _orders(container: Container) -> int:
    async with container.engine().connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(orders))).scalar_one())


async def _set_stock(container: Container, store_id: str, product_id: str, stock: int) -> None:
    async with container.engine().begin() as connection:
        await connection.execute(
            update(products).where(products.c.store_id == store_id, products.c.id == product_id).values(stock=stock)
        )


async def test_the_quote_is_what_the_order_charges_and_creates_nothing(shopper: Shopper, container: Container) -> None:
    cart_id = await shopper.add("store_123", "prod_001", 2)
    body = {"cart_id": cart_id, "shipping_address_id": shopper.address_id, "coupon_code": "save10"}
    response = await shopper.client.post(QUOTE, headers=shopper.headers, json=body)
    assert response.status_code == 200, response.text
    quote = response.json()["data"]
    assert (quote["subtotal"], quote["discount_amount"], quote["tax_amount"]) == (1000.0, 100.0, 180.0)
    assert (quote["shipping_cost"], quote["total_amount"], quote["coupon_code"]) == (50.0, 1130.0, "SAVE10")
    assert quote["problems"] == []
    assert [(i["product_id"], i["quantity"], i["unit_price"], i["total_price"]) for i in quote["items"]] == [
        ("prod_001", 2, 500.0, 1000.0)
    ]
    assert await _orders(container) == 0 and await stock_of(container, "store_123", "prod_001") == 100

    order = (await shopper.order(cart_id, coupon_code="save10")).json()["data"]
    amounts = ("subtotal", "discount_amount", "tax_amount", "shipping_cost", "total_amount", "coupon_code")
    assert {k: order[k] for k in amounts} == {k: quote[k] for k in amounts}


async def test_the_quote_lists_what_checkout_would_refuse(shopper: Shopper, container: Container) -> None:
    cart_id = await shopper.add("store_456", "prod_004", 2)  # Smart Watch, 2 in stock
    await shopper.add("store_456", "prod_002", 1)
    await _set_stock(container, "store_456", "prod_004", 1)
    response = await shopper.client.post(QUOTE, headers=shopper.headers, json={"cart_id": cart_id})
    assert response.status_code == 200, response.text
    quote = response.json()["data"]
    assert quote["problems"] == [
        {"product_id": "prod_004", "code": "CART_003", "message": "Only 1 of 'Smart Watch' in stock.", "available": 1}
    ]
    assert quote["subtotal"] == 2 * 2499.0 + 750.0
    refused = await shopper.order(cart_id)
    assert refused.status_code == 400 and refused.json()["error_code"] == "CART_003"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"coupon_code": "NOPE"}, 400, "COUPON_001"),
        ({"coupon_code": "OLD5"}, 400, "COUPON_001"),
        ({"shipping_address_id": 999_999}, 404, None),
        ({"cart_id": 999_999}, 404, None),
        ({"cart_id": 0}, 400, "VAL_001"),
    ],
)
async def test_a_quote_is_refused_as_the_order_would_be(
    shopper: Shopper, body: dict[str, object], status: int, code: str | None
) -> None:
    cart_id = await shopper.add("store_123", "prod_001", 1)
    response = await shopper.client.post(QUOTE, headers=shopper.headers, json={"cart_id": cart_id, **body})
    assert response.status_code == status, response.text
    if code:
        assert response.json()["error_code"] == code


async def test_another_users_cart_is_not_found(shopper: Shopper, client: Client, mailbox: Mailbox) -> None:
    cart_id = await shopper.add("store_123", "prod_001", 1)
    other = await new_shopper(client, mailbox)
    assert (await client.post(QUOTE, headers=other.headers, json={"cart_id": cart_id})).status_code == 404
    coupon = await client.post(
        "/api/auth/carts/store/store_123/coupon/", headers=other.headers, json={"coupon_code": "SAVE10"}
    )
    assert coupon.status_code == 404
    assert (await client.post(QUOTE, json={"cart_id": cart_id})).status_code == 401


async def test_a_coupon_held_on_the_cart_follows_its_lines(shopper: Shopper) -> None:
    client, headers, path = shopper.client, shopper.headers, "/api/auth/carts/store/store_123/coupon/"
    await shopper.add("store_123", "prod_001", 1)
    applied = await client.post(path, headers=headers, json={"coupon_code": "welcome20"})
    assert applied.status_code == 200, applied.text
    assert applied.json()["message"] == "Coupon applied to cart"
    assert (applied.json()["data"]["applied_coupon"], applied.json()["data"]["coupon_discount"]) == ("WELCOME20", 100.0)

    await shopper.add("store_123", "prod_003", 1)  # 750.50: 20% is 150.10
    cart = (await client.get("/api/auth/carts/store/store_123/", headers=headers)).json()["data"]
    assert (cart["applied_coupon"], cart["coupon_discount"]) == ("WELCOME20", 150.10)
    [listed] = (await client.get("/api/auth/carts/", headers=headers)).json()["data"]
    assert listed["coupon_discount"] == 150.10

    line = next(item for item in cart["items"] if item["product_id"] == "prod_001")
    assert (await client.delete(f"/api/auth/cart/items/{line['id']}/", headers=headers)).status_code == 200
    cart = (await client.get("/api/auth/carts/store/store_123/", headers=headers)).json()["data"]
    assert (cart["applied_coupon"], cart["coupon_discount"]) == ("WELCOME20", 0.0)  # below its 500.00 minimum

    removed = await client.delete(path, headers=headers)
    assert removed.status_code == 200, removed.text
    assert (removed.json()["data"]["applied_coupon"], removed.json()["data"]["coupon_discount"]) == (None, 0.0)
    cart = (await client.get("/api/auth/carts/store/store_123/", headers=headers)).json()["data"]
    assert (cart["applied_coupon"], cart["coupon_discount"]) == (None, 0.0)


@pytest.mark.parametrize("code", ["NOPE", "OLD5", "WELCOME20"])  # unknown, expired, below its minimum
async def test_a_coupon_that_does_not_apply_changes_nothing(shopper: Shopper, code: str) -> None:
    client, headers, path = shopper.client, shopper.headers, "/api/auth/carts/store/store_123/coupon/"
    await shopper.add("store_123", "prod_003", 1)
    assert (await client.post(path, headers=headers, json={"coupon_code": "SAVE10"})).status_code == 200
    before = (await client.get("/api/auth/carts/store/store_123/", headers=headers)).json()["data"]
    refused = await client.post(path, headers=headers, json={"coupon_code": code})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error_code"] == "COUPON_001"
    assert (await client.get("/api/auth/carts/store/store_123/", headers=headers)).json()["data"] == before


async def test_no_cart_for_the_store_is_not_found(shopper: Shopper) -> None:
    path = "/api/auth/carts/store/store_456/coupon/"
    await shopper.add("store_123", "prod_001", 1)
    assert (await shopper.client.post(path, headers=shopper.headers, json={"coupon_code": "SAVE10"})).status_code == 404
    assert (await shopper.client.delete(path, headers=shopper.headers)).status_code == 404
    empty = await shopper.client.post(path, headers=shopper.headers, json={"coupon_code": ""})
    assert empty.status_code == 400


async def test_an_order_without_a_code_uses_the_carts_coupon(shopper: Shopper) -> None:
    cart_id = await shopper.add("store_123", "prod_001", 2)
    path = "/api/auth/carts/store/store_123/coupon/"
    assert (await shopper.client.post(path, headers=shopper.headers, json={"coupon_code": "save10"})).status_code == 200
    quote = (await shopper.client.post(QUOTE, headers=shopper.headers, json={"cart_id": cart_id})).json()["data"]
    assert (quote["coupon_code"], quote["discount_amount"]) == ("SAVE10", 100.0)
    order = await shopper.order(cart_id)
    assert order.status_code == 201, order.text
    assert (order.json()["data"]["coupon_code"], order.json()["data"]["discount_amount"]) == ("SAVE10", 100.0)


async def test_a_code_given_with_the_order_wins_over_the_carts(shopper: Shopper) -> None:
    cart_id = await shopper.add("store_123", "prod_001", 2)
    path = "/api/auth/carts/store/store_123/coupon/"
    assert (await shopper.client.post(path, headers=shopper.headers, json={"coupon_code": "SAVE10"})).status_code == 200
    order = await shopper.order(cart_id, coupon_code="FLAT50")
    assert (order.json()["data"]["coupon_code"], order.json()["data"]["discount_amount"]) == ("FLAT50", 50.0)
