from __future__ import annotations

import asyncio
import os
import subprocess
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import event, insert, select

from s2cart.adapters.persistence.tables.orders import orders
from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import Settings
from tests.integration.cli_runner import run_cli
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.customers import concurrent_client
from tests.integration.mailbox import Mailbox

ADDRESS = {
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
}


class Shopper:
    def __init__(self, client: Client, headers: dict[str, str], address_id: int) -> None:
        self.client = client
        self.headers = headers
        self.address_id = address_id

    async def add(self, store_id: str, product_id: str, quantity: int = 1) -> int:
        response = await self.client.post(
            "/api/auth/cart/items/",
            headers=self.headers,
            json={"store_id": store_id, "product_id": product_id, "quantity": quantity},
        )
        assert response.status_code == 201, response.text
        cart = (await self.client.get(f"/api/auth/carts/store/{store_id}/", headers=self.headers)).json()["data"]
        return int(cart["id"])

    async def order(self, cart_id: int, headers: dict[str, str] | None = None, **extra: Any) -> Any:
        body = {"cart_id": cart_id, "shipping_address_id": self.address_id, **extra}
        return await self.client.post("/api/auth/orders/", headers={**self.headers, **(headers or {})}, json=body)


async def new_shopper(client: Client, mailbox: Mailbox) -> Shopper:
    headers = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])
    created = await client.post("/api/auth/addresses/", headers=headers, json=ADDRESS)
    assert created.status_code == 201, created.text
    return Shopper(client, headers, int(created.json()["data"]["id"]))


@pytest.fixture
async def shopper(client: Client, container: Container, mailbox: Mailbox) -> Shopper:
    await load_demo_catalog(container)
    return await new_shopper(client, mailbox)


async def stock_of(container: Container, store_id: str, product_id: str) -> int | None:
    async with container.uow() as uow:
        product = await uow.catalog.product(store_id, product_id)
    assert product is not None
    return product.stock


async def test_the_contract_example(shopper: Shopper, container: Container) -> None:
    cart_id = await shopper.add("store_123", "prod_001", 2)
    response = await shopper.order(
        cart_id, coupon_code="save10", delivery_instructions="Ring doorbell twice", preferred_delivery_time="EVENING"
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["message"] == "Order created successfully"
    order = body["data"]
    assert (order["subtotal"], order["tax_amount"], order["shipping_cost"]) == (1000.0, 180.0, 50.0)
    assert (order["discount_amount"], order["total_amount"], order["coupon_code"]) == (100.0, 1130.0, "SAVE10")
    assert order["status"] == "PLACED"
    assert order["order_number"].startswith("ORD-") and len(order["order_number"].split("-")[2]) >= 4
    assert order["estimated_delivery_date"].endswith("T18:00:00Z")
    assert (order["delivery_instructions"], order["preferred_delivery_time"]) == ("Ring doorbell twice", "EVENING")
    assert order["shipping_address_details"]["full_address"] == (
        "123 Main Street, Apartment 4B, Near Central Mall, Mumbai, Maharashtra 400001, India"
    )
    assert [(i["product_id"], i["quantity"], i["unit_price"], i["total_price"]) for i in order["items"]] == [
        ("prod_001", 2, 500.0, 1000.0)
    ]
    assert order["payments"] == []
    assert await stock_of(container, "store_123", "prod_001") == 98
    carts = (await shopper.client.get("/api/auth/carts/", headers=shopper.headers)).json()["data"]
    assert carts == []


async def test_the_catalog_price_at_checkout_is_charged(shopper: Shopper, container: Container) -> None:
    cart_id = await shopper.add("store_123", "prod_003", 2)
    async with container.uow() as uow:
        product = await uow.catalog.product("store_123", "prod_003")
        assert product is not None
        from dataclasses import replace
        from decimal import Decimal

        await uow.catalog.upsert_products([replace(product, price=Decimal("260.00"))])
        await uow.commit()
    order = (await shopper.order(cart_id)).json()["data"]
    assert (order["items"][0]["unit_price"], order["subtotal"]) == (260.0, 520.0)


async def test_bad_requests_create_nothing(shopper: Shopper, container: Container, mailbox: Mailbox) -> None:
    cart_id = await shopper.add("store_123", "prod_001", 1)
    for extra, code in [
        ({"coupon_code": "NOPE"}, "COUPON_001"),
        ({"coupon_code": "OLD5"}, "COUPON_001"),
        ({"shipping_address_id": 999999}, "GEN_404"),
        ({"preferred_delivery_time": "MIDNIGHT"}, "VAL_001"),
    ]:
        response = await shopper.order(cart_id, **extra)
        assert response.status_code in (400, 404), response.text
        assert response.json()["error_code"] == code
    other = await new_shopper(shopper.client, mailbox)
    theirs = await shopper.client.post(
        "/api/auth/orders/", headers=other.headers, json={"cart_id": cart_id, "shipping_address_id": other.address_id}
    )
    assert theirs.status_code == 404
    assert await stock_of(container, "store_123", "prod_001") == 100
    assert (await shopper.client.get("/api/auth/orders/", headers=shopper.headers)).json()["data"] == []


async def test_an_empty_cart_is_400(shopper: Shopper) -> None:
    created = await shopper.client.post("/api/auth/carts/", headers=shopper.headers, json={"store_id": "store_456"})
    response = await shopper.order(created.json()["data"]["id"])
    assert response.status_code == 400
    assert response.json()["error_code"] == "ORDER_001"


# The parallel tests below use a client whose requests really overlap (Litestar's test client serves
# one request at a time); they do not take the `client` fixture.


async def test_parallel_checkouts_of_one_cart_make_one_order(
    app: Litestar, container: Container, mailbox: Mailbox
) -> None:
    await load_demo_catalog(container)
    async with concurrent_client(app, container) as client:
        shopper = await new_shopper(client, mailbox)  # type: ignore[arg-type]
        cart_id = await shopper.add("store_123", "prod_001", 1)
        responses = await asyncio.gather(*(shopper.order(cart_id) for _ in range(5)))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201, 409, 409, 409, 409], [r.text for r in responses]
        assert all(r.json()["error_code"] == "ORDER_002" for r in responses if r.status_code == 409)
        listing = (await client.get("/api/auth/orders/", headers=shopper.headers)).json()
        assert listing["pagination"]["total_count"] == 1


async def test_racing_for_the_last_units_never_oversells(app: Litestar, container: Container, mailbox: Mailbox) -> None:
    await load_demo_catalog(container)
    async with concurrent_client(app, container) as client:
        await _race_for_last_units(client, container, mailbox)  # type: ignore[arg-type]


async def _race_for_last_units(client: Client, container: Container, mailbox: Mailbox) -> None:
    shoppers = [await new_shopper(client, mailbox) for _ in range(20)]
    carts = [await s.add("store_789", "prod_102", 1) for s in shoppers]  # 3 in stock
    responses = await asyncio.gather(*(s.order(c) for s, c in zip(shoppers, carts, strict=True)))
    created = [r for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code != 201]
    assert len(created) == 3
    assert all(r.json()["error_code"] == "CART_003" for r in refused), [
        (r.status_code, r.text[:200]) for r in refused if r.json().get("error_code") != "CART_003"
    ]
    assert await stock_of(container, "store_789", "prod_102") == 0


async def test_a_single_use_coupon_is_applied_once(app: Litestar, container: Container, mailbox: Mailbox) -> None:
    from s2cart.application.catalog.catalog_document import parse_catalog_document

    await load_demo_catalog(container)
    await container.load_catalog()(
        parse_catalog_document({"coupons": [{"code": "ONCE", "kind": "FLAT", "value": "100.00", "usage_limit": 1}]})
    )
    async with concurrent_client(app, container) as client:
        shoppers = [await new_shopper(client, mailbox) for _ in range(20)]  # type: ignore[arg-type]
        carts = [await s.add("store_123", "prod_001", 1) for s in shoppers]
        responses = await asyncio.gather(
            *(s.order(c, coupon_code="ONCE") for s, c in zip(shoppers, carts, strict=True))
        )
        assert sorted(r.status_code for r in responses) == [201] + [400] * 19
        assert all(r.json()["error_code"] == "COUPON_001" for r in responses if r.status_code == 400)
        assert await stock_of(container, "store_123", "prod_001") == 99


async def test_idempotent_replay(shopper: Shopper) -> None:
    cart_id = await shopper.add("store_123", "prod_001", 1)
    key = {"Idempotency-Key": "order-attempt-1"}
    first = await shopper.order(cart_id, headers=key)
    again = await shopper.order(cart_id, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.content == again.content
    assert ("idempotent-replayed" in first.headers, again.headers["idempotent-replayed"]) == (False, "true")
    different = await shopper.order(cart_id, headers=key, delivery_instructions="changed")
    assert different.status_code == 422
    assert different.json()["error_code"] == "IDEMPOTENCY_001"
    listing = (await shopper.client.get("/api/auth/orders/", headers=shopper.headers)).json()
    assert listing["pagination"]["total_count"] == 1


async def test_cancel_restores_stock_and_cannot_follow_shipping(
    shopper: Shopper, container: Container, settings: Settings
) -> None:
    first_cart = await shopper.add("store_123", "prod_001", 3)
    first = (await shopper.order(first_cart)).json()["data"]
    assert await stock_of(container, "store_123", "prod_001") == 97
    cancelled = await shopper.client.patch(
        f"/api/auth/orders/{first['id']}/",
        headers=shopper.headers,
        json={"status": "CANCELLED", "cancellation_reason": "Ordered by mistake"},
    )
    assert cancelled.status_code == 200
    assert (cancelled.json()["data"]["status"], cancelled.json()["data"]["cancellation_reason"]) == (
        "CANCELLED",
        "Ordered by mistake",
    )
    assert await stock_of(container, "store_123", "prod_001") == 100

    second = (await shopper.order(await shopper.add("store_123", "prod_001", 1))).json()["data"]
    number = second["order_number"]
    shipped = operator(settings, "set-status", number, "SHIPPED", "--tracking-number", "TRK1", process=True)
    assert shipped.returncode == 0, shipped.stderr
    refused = await shopper.client.patch(
        f"/api/auth/orders/{second['id']}/", headers=shopper.headers, json={"status": "CANCELLED"}
    )
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "ORDER_003"
    detail = (await shopper.client.get(f"/api/auth/orders/{second['id']}/", headers=shopper.headers)).json()["data"]
    assert (detail["status"], detail["tracking_number"]) == ("SHIPPED", "TRK1")
    assert "status=SHIPPED" in operator(settings, "show", str(second["id"])).stdout


async def test_customers_may_only_cancel(shopper: Shopper) -> None:
    order = (await shopper.order(await shopper.add("store_123", "prod_001", 1))).json()["data"]
    for body in ({"status": "DELIVERED"}, {"status": "CANCELLED", "total_amount": 1}, {"tracking_number": "X"}):
        response = await shopper.client.patch(f"/api/auth/orders/{order['id']}/", headers=shopper.headers, json=body)
        assert response.status_code == 400, body
    detail = (await shopper.client.get(f"/api/auth/orders/{order['id']}/", headers=shopper.headers)).json()["data"]
    assert detail["status"] == "PLACED"


async def test_other_users_orders_are_404(shopper: Shopper, mailbox: Mailbox) -> None:
    order = (await shopper.order(await shopper.add("store_123", "prod_001", 1))).json()["data"]
    other = await new_shopper(shopper.client, mailbox)
    assert (await shopper.client.get(f"/api/auth/orders/{order['id']}/", headers=other.headers)).status_code == 404
    cancel = await shopper.client.patch(
        f"/api/auth/orders/{order['id']}/", headers=other.headers, json={"status": "CANCELLED"}
    )
    assert cancel.status_code == 404
    assert (await shopper.client.get(f"/api/auth/orders/{order['id']}/", headers=shopper.headers)).json()["data"][
        "status"
    ] == "PLACED"


async def test_listing_pages_filters_and_orders(shopper: Shopper, container: Container) -> None:
    ids = []
    for quantity in (1, 3, 2):
        ids.append((await shopper.order(await shopper.add("store_123", "prod_001", quantity))).json()["data"]["id"])
    await shopper.client.patch(f"/api/auth/orders/{ids[0]}/", headers=shopper.headers, json={"status": "CANCELLED"})
    newest = (await shopper.client.get("/api/auth/orders/?page_size=2", headers=shopper.headers)).json()
    assert [o["id"] for o in newest["data"]] == [ids[2], ids[1]]
    assert (newest["pagination"]["total_count"], newest["pagination"]["has_next"]) == (3, True)
    by_total = (await shopper.client.get("/api/auth/orders/?ordering=total_amount", headers=shopper.headers)).json()
    assert [o["id"] for o in by_total["data"]] == [ids[0], ids[2], ids[1]]
    placed = (await shopper.client.get("/api/auth/orders/?status=PLACED", headers=shopper.headers)).json()
    assert {o["id"] for o in placed["data"]} == {ids[1], ids[2]}
    for bad in ("?ordering=user_id", "?status=LOST", "?page=0"):
        assert (await shopper.client.get(f"/api/auth/orders/{bad}", headers=shopper.headers)).status_code == 400


async def test_listing_costs_the_same_statements_for_any_page(shopper: Shopper, container: Container) -> None:
    for _ in range(4):
        await shopper.order(await shopper.add("store_123", "prod_001", 1))
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    engine = container.engine().sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        await shopper.client.get("/api/auth/orders/?page_size=1", headers=shopper.headers)
        one = len(statements)
        statements.clear()
        await shopper.client.get("/api/auth/orders/?page_size=4", headers=shopper.headers)
        four = len(statements)
        statements.clear()
        await shopper.client.get("/api/auth/orders/?page_size=1&page=4", headers=shopper.headers)
        deep = len(statements)
        statements.clear()
        await shopper.client.get("/api/auth/orders/?page_size=1&page=9", headers=shopper.headers)
        past_the_end = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert one == four == deep
    # The session lookup, then the count and the page in one statement, then lines and payments.
    assert one == 4
    # Past the end there are no lines or payments to ask for, never more statements.
    assert past_the_end <= one


async def test_deep_pages_match_a_full_sort_for_every_ordering_and_filter(
    shopper: Shopper, container: Container
) -> None:
    """The page's ids are picked by a deferred join and counted in the same statement: every page, the last, one
    past the end and a filtered list must still be exactly the slice of a full sort, with the right total."""
    first = (await shopper.order(await shopper.add("store_123", "prod_001", 1))).json()["data"]["id"]
    async with container.engine().begin() as connection:
        template = dict((await connection.execute(select(orders).where(orders.c.id == first))).mappings().one())
        start = template["order_date"]
        clones = []
        for n in range(1, 23):
            clone = {key: value for key, value in template.items() if key != "id"}
            clone["order_number"] = f"ORD-DEEP-{n:04d}"
            # Dates and amounts both tie, in places, so the id breaks the tie both ways.
            clone["order_date"] = start + timedelta(hours=n // 2)
            clone["total_amount"] = Decimal(f"{(n * 7) % 5 * 10 + 9}.50")
            clone["status"] = "CANCELLED" if n % 3 == 0 else template["status"]
            clones.append(clone)
        await connection.execute(insert(orders), clones)
        everything = (await connection.execute(select(orders).where(orders.c.user_id == template["user_id"]))).all()
    assert len(everything) == 23
    for ordering, key in (
        ("-order_date", lambda o: (o.order_date, o.id)),
        ("order_date", lambda o: (o.order_date, o.id)),
        ("total_amount", lambda o: (o.total_amount, o.id)),
        ("-total_amount", lambda o: (o.total_amount, o.id)),
    ):
        for status in (None, "CANCELLED"):
            rows = [o for o in everything if status is None or o.status == status]
            expected = [o.id for o in sorted(rows, key=key, reverse=ordering.startswith("-"))]
            last = max(1, -(-len(expected) // 4))
            for page in (1, 2, last, last + 1):
                query = f"?ordering={ordering}&page_size=4&page={page}" + (f"&status={status}" if status else "")
                answer = await shopper.client.get(f"/api/auth/orders/{query}", headers=shopper.headers)
                assert answer.status_code == 200, (query, answer.text)
                body = answer.json()
                assert [o["id"] for o in body["data"]] == expected[(page - 1) * 4 : page * 4], query
                assert body["pagination"]["total_count"] == len(expected), query
                # Only the order placed through the API has a line: lines follow their own order, not the position.
                assert {o["id"]: len(o["items"]) for o in body["data"]} == {
                    i: int(i == first) for i in expected[(page - 1) * 4 : page * 4]
                }, query


def operator(settings: Settings, *args: str, process: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "S2CART_DATABASE_URL": settings.database_url, "S2CART_JWT_SECRET": settings.jwt_secret}
    return run_cli(["orders", *args], env, process=process)


async def test_an_id_no_row_can_have_is_404_not_500(shopper: Shopper) -> None:
    huge = 22928082907660796769075200  # found by the contract fuzzer: it overflowed the SQL integer
    for method, url in [
        ("GET", f"/api/auth/orders/{huge}/"),
        ("PATCH", f"/api/auth/orders/{huge}/"),
        ("GET", f"/api/auth/payments/status/{huge}/"),
        ("POST", f"/api/auth/payments/history/{huge}/retry/"),
    ]:
        body = {"status": "CANCELLED"} if method == "PATCH" else None
        response = await shopper.client.request(method, url, headers=shopper.headers, json=body)
        assert response.status_code == 404, (url, response.text)
