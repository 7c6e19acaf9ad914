"""The payment endpoints over HTTP, with the simulators delivering their callbacks to the app.

Orders are inserted directly (a signed-in customer's order as the orders area stores it), so these tests
stand on payments alone; the full register-to-paid flow is in test_payment_journey.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from dependency_injector import providers

from s2cart.domain.orders.order import Order, OrderLine
from s2cart.domain.orders.pricing import OrderTotals
from s2cart.domain.orders.status import OrderStatus
from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.mailbox import Mailbox
from tests.integration.payments.bridge import Bridge
from tests.integration.payments.conftest import SimControl

TOTAL = Decimal("1130.00")
ADDRESS = {"contact_name": "John Doe", "city": "Mumbai", "pin_code": "400001", "full_address": "123 Main Street"}


class Customer:
    def __init__(self, client: Client, container: Container, headers: dict[str, str], user_id: int) -> None:
        self.client = client
        self.container = container
        self.headers = headers
        self.user_id = user_id

    async def order(self, total: Decimal = TOTAL) -> int:
        now = datetime.now(UTC)
        order = Order(
            user_id=self.user_id,
            order_number=f"ORD-{now:%Y%m%d}-{now:%H%M%S%f}",
            status=OrderStatus.PLACED,
            order_date=now,
            source_cart_id=1,
            store_id="store_123",
            lines=[OrderLine("store_123", "prod_001", "Wireless Headphones", None, None, 2, Decimal("500.00"))],
            totals=OrderTotals(Decimal("1000.00"), Decimal("180.00"), Decimal("50.00"), Decimal("100.00"), total),
            coupon_code="SAVE10",
            shipping_address=ADDRESS,
            estimated_delivery_date=now,
            updated_at=now,
        )

        async def insert() -> None:
            async with self.container.uow() as uow:
                await uow.orders.add(order)
                await uow.commit()

        await in_app(self.client, insert)
        assert order.id is not None
        return order.id

    async def initiate(self, order_id: int, method: str = "PAYTM", **headers: str) -> Any:
        return await self.client.post(
            "/api/auth/payments/initiate/",
            headers={**self.headers, **headers},
            json={"order_id": order_id, "payment_method": method},
        )

    async def get(self, path: str) -> Any:
        return await self.client.get(f"/api/auth{path}", headers=self.headers)


async def in_app(client: Client, work: Callable[[], Awaitable[Any]]) -> Any:
    """Run ``work`` in the app's event loop (the test client serves the app from a thread of its own),
    where the container's pools and gateway clients live."""
    return client.blocking_portal.call(work)


async def new_customer(client: Client, container: Container, mailbox: Mailbox) -> Customer:
    account = await verified(client, mailbox)
    headers = bearer((await jwt_login(client, account))["access"])
    return Customer(client, container, headers, account.user_id)


@pytest.fixture
async def customer(api: Client, container: Container, mailbox: Mailbox) -> Customer:
    return await new_customer(api, container, mailbox)


async def test_initiate_answers_the_contracts_body(customer: Customer, settings: Any) -> None:
    order_id = await customer.order()

    paytm = await customer.initiate(order_id, "PAYTM")

    assert paytm.status_code == 201, paytm.text
    body = paytm.json()
    assert (body["message"], body["code"]) == ("Payment initiated successfully", 201)
    data = body["data"]
    assert (data["order_id"], data["amount"], data["currency"], data["payment_method"]) == (
        order_id,
        "1130.00",
        "INR",
        "PAYTM",
    )
    assert data["transaction_id"].startswith(f"TXN_PAYTM_{order_id}_") and data["callback_required"] is True
    expires = datetime.fromisoformat(data["expires_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=14) < expires - datetime.now(UTC) <= timedelta(minutes=15)
    sdk = data["payment_data"]
    assert sdk["order_id"].startswith(f"ORD_PAYTM_{order_id}_") and sdk["token"]
    assert (sdk["mid"], sdk["amount"], sdk["test_mode"]) == ("S2CTEST0000000000001", "1130.00", False)
    assert sdk["callback_url"] == f"{settings.public_base_url}/api/auth/payments/paytm/callback/"

    phonepe = (await customer.initiate(order_id, "phonepe")).json()["data"]
    assert phonepe["payment_method"] == "PHONEPE"
    assert set(phonepe["payment_data"]) == {
        "order_id",
        "amount",
        "callback_url",
        "test_mode",
        "merchant_id",
        "redirect_url",
    }
    assert "/_sim/phonepe/pay/" in phonepe["payment_data"]["redirect_url"]


async def test_an_unknown_or_disabled_gateway_is_pay_002(customer: Customer, container: Container) -> None:
    order_id = await customer.order()
    unknown = await customer.initiate(order_id, "STRIPE")
    container.payment_gateways.override(providers.Dict(PAYTM=container.paytm))
    disabled = await customer.initiate(order_id, "PHONEPE")
    container.payment_gateways.reset_override()

    for response in (unknown, disabled):
        assert response.status_code == 400
        assert response.json()["error_code"] == "PAY_002"
        assert "payment_method" in response.json()["errors"]
    assert (await customer.get("/payments/history/")).json()["data"] == []


async def test_only_the_owners_unpaid_order_can_be_paid(customer: Customer, api: Client, mailbox: Mailbox) -> None:
    order_id = await customer.order()
    stranger = await new_customer(api, customer.container, mailbox)
    assert (await stranger.initiate(order_id)).status_code == 404
    assert (await stranger.get(f"/payments/status/{order_id}/")).status_code == 404
    assert (await customer.get(f"/payments/status/{order_id}/")).status_code == 404  # nothing started yet
    assert (await customer.initiate(999999)).status_code == 404


async def test_idempotent_initiation_replays_the_first_answer(customer: Customer) -> None:
    order_id = await customer.order()
    first = await customer.initiate(order_id, **{"Idempotency-Key": "pay-1"})
    again = await customer.initiate(order_id, **{"Idempotency-Key": "pay-1"})
    other = await customer.initiate(order_id, "PHONEPE", **{"Idempotency-Key": "pay-1"})

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422), other.text
    assert first.content == again.content
    assert (await customer.get("/payments/history/")).json()["pagination"]["total_count"] == 1


async def test_paying_through_the_simulator_marks_payment_and_order(
    customer: Customer, paytm_sim_control: SimControl, bridge: Bridge
) -> None:
    order_id = await customer.order()
    started = (await customer.initiate(order_id, "PAYTM")).json()["data"]

    paid = await paytm_sim_control.pay(started["payment_data"]["order_id"])

    [delivery] = bridge.deliveries
    assert (delivery.status, delivery.headers["content-type"]) == (200, "application/x-www-form-urlencoded")
    status = (await customer.get(f"/payments/status/{order_id}/")).json()["data"]
    assert (status["payment_id"], status["status"], status["amount"], status["payment_method"]) == (
        started["payment_id"],
        "COMPLETED",
        1130.0,
        "PAYTM",
    )
    assert status["gateway_transaction_id"] == paid["order"]["txn_id"] and status["completed_at"]
    order = (await customer.get(f"/orders/{order_id}/")).json()["data"]
    assert order["paid_at"] == status["completed_at"]
    assert [(p["id"], p["status"], p["payment_type"]) for p in order["payments"]] == [
        (started["payment_id"], "COMPLETED", "UPI")
    ]
    [entry] = (await customer.get("/payments/history/")).json()["data"]
    assert (entry["gateway_name"], entry["billing_address_details"]) == ("PAYTM", ADDRESS)
    assert [(t["action"], t["status"], t["amount"]) for t in entry["transactions"]] == [
        ("initiate", "success", 1130.0),
        ("capture", "success", 1130.0),
    ]


async def test_bad_callbacks_are_refused_with_the_right_status(
    customer: Customer, api: Client, phonepe_sim_control: SimControl, paytm_sim_control: SimControl, bridge: Bridge
) -> None:
    order_id = await customer.order()
    started = (await customer.initiate(order_id, "PHONEPE")).json()["data"]
    gateway_id = started["payment_data"]["order_id"]

    await phonepe_sim_control.pay(gateway_id, tamper_signature=True)
    await phonepe_sim_control.pay(gateway_id, amount_override="1.00")
    garbage = await api.post("/api/auth/payments/paytm/callback/", content=b"%%%", headers={"content-type": "x"})
    unsigned = await api.post("/api/auth/payments/phonepe/callback/", json={"response": "e30="})

    assert [d.status for d in bridge.deliveries] == [401, 400]
    assert bridge.deliveries[1].status == 400 and b"PAY_004" in (await _last_body(bridge, api, gateway_id))
    assert (garbage.status_code, garbage.json()["error_code"]) == (401, "PAY_401")
    assert (unsigned.status_code, unsigned.json()["error_code"]) == (401, "PAY_401")
    status = (await customer.get(f"/payments/status/{order_id}/")).json()["data"]
    assert status["status"] == "PENDING"


async def _last_body(bridge: Bridge, api: Client, gateway_id: str) -> bytes:
    delivery = bridge.deliveries[-1]
    kept = {k: v for k, v in delivery.headers.items() if k.lower() in ("content-type", "x-verify")}
    return (await api.post(delivery.path, content=delivery.body, headers=kept)).content


async def test_retry_makes_a_new_attempt_until_the_cap(
    customer: Customer, api: Client, mailbox: Mailbox, paytm_sim_control: SimControl
) -> None:
    order_id = await customer.order()
    await paytm_sim_control.scenario(outcome="failure")
    latest = (await customer.initiate(order_id)).json()["data"]
    stranger = await new_customer(api, customer.container, mailbox)
    for number in range(1, 4):
        await paytm_sim_control.pay(latest["payment_data"]["order_id"])
        if number == 1:
            theirs = await api.post(
                f"/api/auth/payments/history/{latest['payment_id']}/retry/", headers=stranger.headers
            )
            assert theirs.status_code == 404
        retried = await api.post(f"/api/auth/payments/history/{latest['payment_id']}/retry/", headers=customer.headers)
        assert retried.status_code == 200, retried.text
        assert retried.json()["message"] == "Payment retry initiated"
        assert retried.json()["data"]["transaction_id"].startswith(f"TXN_RETRY_{order_id}_")
        assert retried.json()["data"]["payment_id"] != latest["payment_id"]
        latest = retried.json()["data"]
    await paytm_sim_control.pay(latest["payment_data"]["order_id"])

    fourth = await api.post(f"/api/auth/payments/history/{latest['payment_id']}/retry/", headers=customer.headers)

    assert (fourth.status_code, fourth.json()["error_code"]) == (400, "PAY_007")
    history = (await customer.get("/payments/history/?status=FAILED")).json()
    assert history["pagination"]["total_count"] == 4


async def test_history_filters_and_refuses_bad_dates(customer: Customer, phonepe_sim_control: SimControl) -> None:
    paid_order, open_order = await customer.order(), await customer.order(Decimal("499.00"))
    paid = (await customer.initiate(paid_order, "PHONEPE")).json()["data"]
    await customer.initiate(open_order, "PAYTM")
    await phonepe_sim_control.pay(paid["payment_data"]["order_id"])
    today = datetime.now(UTC).date()

    def ids(response: Any) -> list[int]:
        return [p["id"] for p in response.json()["data"]]

    assert len(ids(await customer.get("/payments/history/"))) == 2
    assert ids(await customer.get("/payments/history/?status=COMPLETED")) == [paid["payment_id"]]
    assert ids(await customer.get("/payments/history/?payment_type=upi")) == [paid["payment_id"]]
    assert len(ids(await customer.get(f"/payments/history/?from_date={today}&to_date={today}"))) == 2
    assert ids(await customer.get(f"/payments/history/?from_date={today + timedelta(days=1)}")) == []
    assert ids(await customer.get(f"/payments/history/?to_date={today - timedelta(days=1)}")) == []
    page = (await customer.get("/payments/history/?page_size=1")).json()
    assert (page["pagination"]["total_count"], page["pagination"]["has_next"]) == (2, True)
    for bad, field in (
        ("from_date=2025-13-01", "from_date"),
        ("to_date=yesterday", "to_date"),
        ("status=LOST", "status"),
    ):
        response = await customer.get(f"/payments/history/?{bad}")
        assert response.status_code == 400, bad
        assert field in response.json()["errors"]


async def test_cancelling_a_paid_order_refunds_the_payment(customer: Customer, paytm_sim_control: SimControl) -> None:
    order_id = await customer.order()
    started = (await customer.initiate(order_id)).json()["data"]
    await paytm_sim_control.pay(started["payment_data"]["order_id"])

    cancelled = await customer.client.patch(
        f"/api/auth/orders/{order_id}/", headers=customer.headers, json={"status": "CANCELLED"}
    )

    assert cancelled.status_code == 200
    assert cancelled.json()["data"]["payments"][0]["status"] == "REFUND_PENDING"
    assert len(await paytm_sim_control.requests("refund")) == 1  # asked by CancelOrder, after its commit
    await in_app(customer.client, customer.container.reconcile_payments())
    [entry] = (await customer.get("/payments/history/")).json()["data"]
    assert entry["status"] == "REFUNDED"
    assert [(t["action"], t["status"]) for t in entry["transactions"]][-2:] == [
        ("refund", "pending"),
        ("refund", "success"),
    ]


async def test_callbacks_are_counted_per_gateway_address_not_as_anonymous_customers(api: Client) -> None:
    response = await api.post("/api/auth/payments/phonepe/callback/", json={"response": "e30="})
    assert response.headers["x-ratelimit-limit"] == "600"
    browser = await api.get("/api/auth/payments/return/")
    assert (browser.status_code, browser.headers["x-ratelimit-limit"]) == (200, "50")


async def test_gateway_failures_map_to_503_and_400(
    customer: Customer, paytm_sim_control: SimControl, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    order_id = await customer.order()
    await paytm_sim_control.fault("initiate", "http_500")
    unanswered = await customer.initiate(order_id, "PAYTM")
    assert (unanswered.status_code, unanswered.json()["error_code"]) == (503, "PAY_503")
    assert unanswered.headers["retry-after"] == "5"
    assert (await customer.get(f"/payments/status/{order_id}/")).json()["data"]["status"] == "PENDING"

    started = (await customer.initiate(order_id, "PHONEPE")).json()["data"]
    gateway_id = started["payment_data"]["order_id"]
    await phonepe_sim_control.pay(gateway_id, wrong_mid=True)  # signed, but names another merchant
    await phonepe_sim_control.fault("status", "http_500", count=2)  # the read is asked twice, then given up
    await phonepe_sim_control.pay(gateway_id, wrong_mid=False)

    assert [d.status for d in bridge.deliveries] == [400, 503]
    history = (await customer.get("/payments/history/")).json()["data"]  # reads never ask the gateway
    [attempt] = [p for p in history if p["id"] == started["payment_id"]]
    assert attempt["status"] == "PENDING"
    assert "capture" not in [t["action"] for t in attempt["transactions"]]
