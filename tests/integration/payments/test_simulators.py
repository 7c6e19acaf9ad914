"""Simulator behaviour no adapter test shows: its controls, redirect mode, delivery records, its clock."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from s2cart.simulators import signing
from s2cart.simulators.phonepe import PhonePeSimulator
from s2cart.simulators.server import build_app
from s2cart.simulators.state import Ledger
from tests.integration.payments.conftest import Receiver
from tests.integration.payments.vectors import PHONEPE_MERCHANT_ID, PHONEPE_SALT_KEY


def pay_body(txn: str, callback_url: str, redirect_mode: str = "REDIRECT") -> tuple[dict[str, str], dict[str, str]]:
    payload = {
        "merchantId": PHONEPE_MERCHANT_ID,
        "merchantTransactionId": txn,
        "merchantUserId": "USER_7",
        "amount": 10000,
        "redirectUrl": "http://shop.test/back",
        "redirectMode": redirect_mode,
        "callbackUrl": callback_url,
        "paymentInstrument": {"type": "PAY_PAGE"},
    }
    encoded = base64.b64encode(json.dumps(payload).encode()).decode()
    return {"request": encoded}, {"X-VERIFY": signing.x_verify(encoded + "/pg/v1/pay", PHONEPE_SALT_KEY, 1)}


def status_headers(txn: str) -> dict[str, str]:
    path = f"/pg/v1/status/{PHONEPE_MERCHANT_ID}/{txn}"
    return {"X-VERIFY": signing.x_verify(path, PHONEPE_SALT_KEY, 1), "X-MERCHANT-ID": PHONEPE_MERCHANT_ID}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_sim/paytm/scenario", {"outcome": "maybe"}),
        ("/_sim/paytm/scenario", {"deliver": "pigeon"}),
        ("/_sim/phonepe/scenario", {"colour": "blue"}),
        ("/_sim/phonepe/scenario", {"amount_override": "lots"}),
        ("/_sim/phonepe/faults", {"endpoint": "everything", "mode": "timeout"}),
        ("/_sim/paytm/faults", {"endpoint": "status", "mode": "explode"}),
        ("/_sim/paytm/faults", {"mode": "timeout"}),
    ],
)
async def test_nonsense_controls_are_refused(control_client: httpx.AsyncClient, path: str, body: Any) -> None:
    reply = await control_client.post(path, json=body)
    assert reply.status_code == 400
    assert "error" in reply.json()


async def test_reset_forgets_orders_and_logs(control_client: httpx.AsyncClient, receiver: Receiver) -> None:
    body, headers = pay_body("TXN_RESET_1", receiver.url())
    assert (await control_client.post("/pg/v1/pay", json=body, headers=headers)).json()["success"] is True
    assert (await control_client.get("/_sim/phonepe/orders/TXN_RESET_1")).status_code == 200
    await control_client.post("/_sim/reset")
    assert (await control_client.get("/_sim/phonepe/orders/TXN_RESET_1")).status_code == 404
    assert (await control_client.get("/_sim/phonepe/requests")).json() == []


async def test_redirect_mode_sends_the_browser_back_and_records_the_delivery(
    control_client: httpx.AsyncClient, receiver: Receiver
) -> None:
    body, headers = pay_body("TXN_REDIRECT_1", receiver.url())
    page = (await control_client.post("/pg/v1/pay", json=body, headers=headers)).json()
    url = page["data"]["instrumentResponse"]["redirectInfo"]["url"]
    browser = await control_client.get(url)
    assert (browser.status_code, browser.headers["location"]) == (302, "http://shop.test/back")
    [note] = (await control_client.get("/_sim/phonepe/notifications")).json()
    assert (note["order_id"], note["url"], note["status_code"]) == ("TXN_REDIRECT_1", receiver.url(), 200)
    assert len(receiver.received) == 1


async def test_a_notification_nobody_receives_is_recorded_as_failed(
    control_client: httpx.AsyncClient,
) -> None:
    body, headers = pay_body("TXN_NOBODY_1", "http://127.0.0.1:9/callback")
    await control_client.post("/pg/v1/pay", json=body, headers=headers)
    result = (await control_client.post("/_sim/phonepe/orders/TXN_NOBODY_1/pay", json={})).json()
    [note] = result["notifications"]
    assert (note["status_code"], note["error"]) == (None, "ConnectError")


async def test_late_delivery_waits_for_an_explicit_notify(
    control_client: httpx.AsyncClient, receiver: Receiver
) -> None:
    body, headers = pay_body("TXN_LATE_1", receiver.url())
    await control_client.post("/pg/v1/pay", json=body, headers=headers)
    await control_client.post("/_sim/phonepe/orders/TXN_LATE_1/pay", json={"deliver": "late"})
    assert receiver.received == []
    await control_client.post("/_sim/phonepe/orders/TXN_LATE_1/notify", json={})
    assert len(receiver.received) == 1


async def test_an_unpaid_phonepe_transaction_is_abandoned_after_twenty_minutes() -> None:
    now = [datetime(2026, 1, 20, 10, 30, tzinfo=UTC)]
    simulator = PhonePeSimulator(
        merchant_id=PHONEPE_MERCHANT_ID, salt_key=PHONEPE_SALT_KEY, ledger=Ledger(clock=lambda: now[0])
    )
    transport = httpx.ASGITransport(app=build_app(simulator))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        body, headers = pay_body("TXN_ABANDON_1", "http://127.0.0.1:9/cb")
        await client.post("/pg/v1/pay", json=body, headers=headers)
        path = f"/pg/v1/status/{PHONEPE_MERCHANT_ID}/TXN_ABANDON_1"
        early = (await client.get(path, headers=status_headers("TXN_ABANDON_1"))).json()
        now[0] += timedelta(minutes=20)
        late = (await client.get(path, headers=status_headers("TXN_ABANDON_1"))).json()
    assert (early["code"], early["data"]["state"]) == ("PAYMENT_PENDING", "PENDING")
    assert (late["code"], late["data"]["state"]) == ("TIMED_OUT", "FAILED")


async def test_status_without_the_merchant_header_is_unauthorized(control_client: httpx.AsyncClient) -> None:
    headers = status_headers("TXN_ANY")
    del headers["X-MERCHANT-ID"]
    reply = await control_client.get(f"/pg/v1/status/{PHONEPE_MERCHANT_ID}/TXN_ANY", headers=headers)
    assert (reply.status_code, reply.json()["code"]) == (401, "AUTHORIZATION_FAILED")


async def test_unknown_paths_and_methods(control_client: httpx.AsyncClient) -> None:
    assert (await control_client.get("/nowhere")).status_code == 404
    assert (await control_client.get("/pg/v1/pay")).status_code == 405
