"""Issue 7's full flow, as a client and the gateway would go through it, and the races over HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from dependency_injector import providers
from litestar import Litestar

from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client, bearer, jwt_login, registered
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.customers import MUMBAI, add_address, concurrent_client, signed_in
from tests.integration.mailbox import Mailbox
from tests.integration.payments.bridge import Bridge
from tests.integration.payments.conftest import SimControl


async def test_register_verify_sign_in_order_with_save10_and_pay_with_phonepe(
    api: Client, container: Container, mailbox: Mailbox, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    await customer_journey_paying_with_phonepe(api, container, mailbox, phonepe_sim_control, bridge)
    # v1: the pay page posts a form back to the return URL, and the status call is v1's.
    assert (await phonepe_sim_control.requests("status"))[0]["path"].startswith("/pg/v1/status/")


async def customer_journey_paying_with_phonepe(
    api: Client, container: Container, mailbox: Mailbox, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    """Register, verify, sign in, order with SAVE10, pay with PhonePe, see it paid everywhere."""
    await load_demo_catalog(container)
    account = await registered(api, mailbox)
    otp = mailbox.last_to(account.email).otp
    assert (await api.post("/api/auth/verify/otp/", json={"email": account.email, "otp": otp})).status_code == 200
    headers = bearer((await jwt_login(api, account))["access"])
    address = await add_address(api, headers)
    added = await api.post(
        "/api/auth/cart/items/",
        headers=headers,
        json={"store_id": "store_123", "product_id": "prod_001", "quantity": 2},
    )
    assert added.status_code == 201, added.text
    cart = (await api.get("/api/auth/carts/store/store_123/", headers=headers)).json()["data"]
    placed = await api.post(
        "/api/auth/orders/",
        headers=headers,
        json={"cart_id": cart["id"], "shipping_address_id": address["id"], "coupon_code": "SAVE10"},
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()["data"]
    assert (order["total_amount"], order["discount_amount"], order["paid_at"]) == (1130.0, 100.0, None)

    initiated = await api.post(
        "/api/auth/payments/initiate/", headers=headers, json={"order_id": order["id"], "payment_method": "PHONEPE"}
    )
    assert initiated.status_code == 201, initiated.text
    payment = initiated.json()["data"]
    assert (payment["amount"], payment["payment_method"]) == ("1130.00", "PHONEPE")
    # The customer opens the pay page and pays; PhonePe's simulator calls S2Cart back, signed.
    pay_page = payment["payment_data"]["redirect_url"]
    async with httpx.AsyncClient(timeout=10) as browser:
        landed = await browser.get(pay_page)
    if landed.status_code == 302:  # v2 sends the browser back with a GET
        assert landed.headers["location"].endswith("/api/auth/payments/return/")
    else:  # v1 (redirectMode POST): a form that posts back to the return URL
        assert landed.status_code == 200 and 'method="post"' in landed.text
    assert [(d.path, d.status) for d in bridge.deliveries] == [("/api/auth/payments/phonepe/callback/", 200)]

    paid = (await api.get(f"/api/auth/orders/{order['id']}/", headers=headers)).json()["data"]
    assert paid["paid_at"] is not None
    assert [(p["id"], p["status"], p["amount"]) for p in paid["payments"]] == [
        (payment["payment_id"], "COMPLETED", 1130.0)
    ]
    status = (await api.get(f"/api/auth/payments/status/{order['id']}/", headers=headers)).json()["data"]
    assert (status["status"], status["completed_at"]) == ("COMPLETED", paid["paid_at"])
    [entry] = (await api.get("/api/auth/payments/history/", headers=headers)).json()["data"]
    assert (entry["id"], entry["status"], entry["gateway_name"], entry["amount"]) == (
        payment["payment_id"],
        "COMPLETED",
        "PHONEPE",
        1130.0,
    )
    assert entry["billing_address_details"]["city"] == MUMBAI["city"]
    assert [(t["action"], t["status"], t["amount"]) for t in entry["transactions"]] == [
        ("initiate", "success", 1130.0),
        ("capture", "success", 1130.0),
    ]
    assert payment["payment_data"]["order_id"] in (await phonepe_sim_control.requests("status"))[0]["path"]


async def _placed_order(client: httpx.AsyncClient, mailbox: Mailbox) -> tuple[dict[str, str], dict[str, Any]]:
    headers = await signed_in(client, mailbox)
    address = await add_address(client, headers)
    await client.post(
        "/api/auth/cart/items/",
        headers=headers,
        json={"store_id": "store_123", "product_id": "prod_001", "quantity": 1},
    )
    cart = (await client.get("/api/auth/carts/store/store_123/", headers=headers)).json()["data"]
    placed = await client.post(
        "/api/auth/orders/", headers=headers, json={"cart_id": cart["id"], "shipping_address_id": address["id"]}
    )
    assert placed.status_code == 201, placed.text
    return headers, placed.json()["data"]


@pytest.mark.parametrize("deliveries", [5, 50])
async def test_parallel_callbacks_over_http_capture_once(
    app: Litestar,
    container: Container,
    mailbox: Mailbox,
    bridge: Bridge,
    phonepe_sim_control: SimControl,
    backend: str,
    deliveries: int,
) -> None:
    """A webhook storm over HTTP: 50-way on PostgreSQL (row locks decide), 5-way on both backends."""
    if deliveries > 5 and backend != "postgresql":
        pytest.skip("the storm is a PostgreSQL race")
    # This pins the race, not the deadline: deliveries queued behind the storm must not give up with a 503.
    container.gateway_deadline.override(providers.Object(GatewayDeadline(120)))
    await load_demo_catalog(container)
    async with concurrent_client(app, container) as client:
        headers, order = await _placed_order(client, mailbox)
        initiated = await client.post(
            "/api/auth/payments/initiate/", headers=headers, json={"order_id": order["id"], "payment_method": "PHONEPE"}
        )
        bridge.record_only()
        await phonepe_sim_control.pay(initiated.json()["data"]["payment_data"]["order_id"])
        [delivery] = bridge.deliveries
        kept = {k: v for k, v in delivery.headers.items() if k in ("content-type", "x-verify")}

        answers = await asyncio.gather(
            *(client.post(delivery.path, content=delivery.body, headers=kept) for _ in range(deliveries))
        )

        assert [a.status_code for a in answers] == [200] * deliveries, [a.text for a in answers]
        results = sorted(a.json()["data"]["result"] for a in answers)
        assert results == ["already_processed"] * (deliveries - 1) + ["applied"]
        [entry] = (await client.get("/api/auth/payments/history/", headers=headers)).json()["data"]
        assert [t["action"] for t in entry["transactions"]].count("capture") == 1
        assert entry["status"] == "COMPLETED"
        detail = (await client.get(f"/api/auth/orders/{order['id']}/", headers=headers)).json()["data"]
        assert detail["paid_at"] is not None
        assert [p["status"] for p in detail["payments"]] == ["COMPLETED"]


async def test_parallel_retries_over_http_make_one_attempt(
    app: Litestar, container: Container, mailbox: Mailbox, paytm_sim_control: SimControl
) -> None:
    await load_demo_catalog(container)
    await paytm_sim_control.scenario(outcome="failure", deliver="none")
    async with concurrent_client(app, container) as client:
        headers, order = await _placed_order(client, mailbox)
        first = await client.post(
            "/api/auth/payments/initiate/", headers=headers, json={"order_id": order["id"], "payment_method": "PAYTM"}
        )
        payment = first.json()["data"]
        await paytm_sim_control.pay(payment["payment_data"]["order_id"])  # declined; no callback comes
        await container.settlement().check(payment["payment_id"])  # what the reconciler would do

        answers = await asyncio.gather(
            *(
                client.post(f"/api/auth/payments/history/{payment['payment_id']}/retry/", headers=headers)
                for _ in range(4)
            )
        )

        assert sorted(a.status_code for a in answers) == [200, 409, 409, 409], [a.text for a in answers]
        assert {a.json()["error_code"] for a in answers if a.status_code == 409} == {"PAY_008"}
        history = (await client.get("/api/auth/payments/history/", headers=headers)).json()
        assert history["pagination"]["total_count"] == 2
