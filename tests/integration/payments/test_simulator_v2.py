"""The simulator's PhonePe v2 side on its own, driven over plain HTTP (not through the adapter it tests)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from s2cart.simulators import signing
from s2cart.simulators.phonepe import PhonePeSimulator
from s2cart.simulators.phonepe_v2 import V2Credentials
from s2cart.simulators.server import build_app
from s2cart.simulators.state import Ledger
from tests.integration.payments.conftest import Receiver
from tests.integration.payments.vectors import (
    PHONEPE_MERCHANT_ID,
    PHONEPE_SALT_KEY,
    PHONEPE_V2_CLIENT_ID,
    PHONEPE_V2_CLIENT_SECRET,
    PHONEPE_V2_WEBHOOK_PASSWORD,
    PHONEPE_V2_WEBHOOK_USERNAME,
)

FORM = {
    "client_id": PHONEPE_V2_CLIENT_ID,
    "client_secret": PHONEPE_V2_CLIENT_SECRET,
    "client_version": "1",
    "grant_type": "client_credentials",
}


def pay(order_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "merchantOrderId": order_id,
        "amount": 10000,
        "paymentFlow": {"type": "PG_CHECKOUT", "merchantUrls": {"redirectUrl": "http://shop.test/back"}},
    }
    return {**body, **changes}


async def bearer(client: httpx.AsyncClient) -> dict[str, str]:
    answer = (await client.post("/v1/oauth/token", data=FORM)).json()
    return {"Authorization": f"{answer['token_type']} {answer['access_token']}"}


async def test_the_token_answer_has_phonepes_fields_and_refuses_wrong_credentials(
    control_client: httpx.AsyncClient,
) -> None:
    answer = await control_client.post("/v1/oauth/token", data=FORM)
    refused = await control_client.post("/v1/oauth/token", data={**FORM, "client_secret": "nope"})
    wrong_grant = await control_client.post("/v1/oauth/token", data={**FORM, "grant_type": "password"})

    token = answer.json()
    assert answer.status_code == 200 and token["token_type"] == "O-Bearer"
    assert token["expires_at"] - token["issued_at"] == 3600 and token["access_token"]
    assert (refused.status_code, wrong_grant.status_code) == (401, 400)


@pytest.mark.parametrize("authorization", [None, "O-Bearer not-a-token", "Bearer {token}"])
async def test_api_calls_need_a_live_o_bearer_token(
    control_client: httpx.AsyncClient, authorization: str | None
) -> None:
    token = (await bearer(control_client))["Authorization"].split(" ", 1)[1]
    headers = {"Authorization": authorization.format(token=token)} if authorization else {}

    answer = await control_client.post("/checkout/v2/pay", json=pay("PP_SIM_1"), headers=headers)

    assert answer.status_code == 401


@pytest.mark.parametrize(
    "changes",
    [
        {"merchantOrderId": "X" * 63},
        {"merchantOrderId": "has space"},
        {"amount": 99},
        {"amount": 100.5},
        {"paymentFlow": {"type": "PAY_PAGE"}},
        {"paymentFlow": {"type": "PG_CHECKOUT", "merchantUrls": {}}},
        {"expireAfter": 60},
    ],
)
async def test_pay_validates_the_documented_fields(control_client: httpx.AsyncClient, changes: dict[str, Any]) -> None:
    headers = await bearer(control_client)
    answer = await control_client.post("/checkout/v2/pay", json=pay("PP_SIM_2", **changes), headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (400, "BAD_REQUEST")


async def test_the_webhook_carries_the_dashboard_authorization_and_payload_state(
    control_client: httpx.AsyncClient, receiver: Receiver
) -> None:
    headers = await bearer(control_client)
    opened = await control_client.post("/checkout/v2/pay", json=pay("PP_SIM_3"), headers=headers)
    assert opened.status_code == 200 and opened.json()["state"] == "PENDING"

    await control_client.post("/_sim/phonepe/orders/PP_SIM_3/pay", json={"outcome": "failure", "deliver": "none"})
    note = (await control_client.post("/_sim/phonepe/orders/PP_SIM_3/notify", json={"url": receiver.url()})).json()

    [delivery] = receiver.received
    expected = signing.webhook_authorization(PHONEPE_V2_WEBHOOK_USERNAME, PHONEPE_V2_WEBHOOK_PASSWORD)
    assert (delivery["headers"]["authorization"], note["status_code"]) == (expected, 200)
    hook = json.loads(delivery["body"])
    assert hook["event"] == "checkout.order.failed"
    assert (hook["payload"]["merchantOrderId"], hook["payload"]["state"]) == ("PP_SIM_3", "FAILED")
    assert hook["payload"]["merchantId"] == PHONEPE_MERCHANT_ID
    status = await control_client.get("/checkout/v2/order/PP_SIM_3/status", headers=headers)
    assert status.json()["state"] == "FAILED"
    missing = await control_client.get("/checkout/v2/order/PP_SIM_NONE/status", headers=headers)
    assert missing.status_code == 404


async def test_v2_tokens_expire_on_the_simulators_clock() -> None:
    now = [datetime(2026, 1, 20, 10, 30, tzinfo=UTC)]
    credentials = V2Credentials(
        PHONEPE_V2_CLIENT_ID, PHONEPE_V2_CLIENT_SECRET, "1", PHONEPE_V2_WEBHOOK_USERNAME, PHONEPE_V2_WEBHOOK_PASSWORD
    )
    simulator = PhonePeSimulator(
        merchant_id=PHONEPE_MERCHANT_ID, salt_key=PHONEPE_SALT_KEY, ledger=Ledger(clock=lambda: now[0]), v2=credentials
    )
    transport = httpx.ASGITransport(app=build_app(simulator))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        headers = await bearer(client)
        fresh = await client.get("/checkout/v2/order/PP_SIM_4/status", headers=headers)
        now[0] += timedelta(hours=1)
        stale = await client.get("/checkout/v2/order/PP_SIM_4/status", headers=headers)
    assert (fresh.status_code, stale.status_code) == (404, 401)
    assert PHONEPE_V2_CLIENT_SECRET not in repr(credentials)
