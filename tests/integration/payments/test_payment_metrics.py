"""/metrics moves with the payments: settlements, refused notifications, refunds, reconciler rounds,
gateway latency, and the reconciler's backlog counted from the database at scrape time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from dependency_injector import providers

from s2cart.entrypoints.container import Container
from tests.fakes import FakeClock
from tests.integration.http.accounts import Client
from tests.integration.http.test_observability import sample
from tests.integration.mailbox import Mailbox
from tests.integration.payments.bridge import Bridge
from tests.integration.payments.conftest import SimControl
from tests.integration.payments.test_payment_api import Customer, in_app, new_customer

LATENCY = "s2cart_gateway_request_duration_seconds_count"


@pytest.fixture
async def customer(api: Client, container: Container, mailbox: Mailbox) -> Customer:
    return await new_customer(api, container, mailbox)


async def scrape(api: Client) -> str:
    response = await api.get("/metrics")
    assert response.status_code == 200
    return response.text


async def test_a_paid_then_cancelled_order_and_refused_notifications_move_the_counters(
    customer: Customer, api: Client, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    order_id = await customer.order()
    started = (await customer.initiate(order_id, "PHONEPE")).json()["data"]
    gateway_id = started["payment_data"]["order_id"]

    await phonepe_sim_control.pay(gateway_id, tamper_signature=True)  # a forged notification: 401
    await phonepe_sim_control.pay(gateway_id, amount_override="1.00")  # signed, for the wrong amount: 400
    await phonepe_sim_control.pay(gateway_id)  # the real one, confirmed by the status API
    assert [d.status for d in bridge.deliveries] == [401, 400, 200]

    text = await scrape(api)
    assert sample(text, "s2cart_payments_total", gateway="PHONEPE", status="COMPLETED") == 1
    assert sample(text, "s2cart_payment_callbacks_rejected_total", gateway="PHONEPE", reason="invalid_signature") == 1
    assert sample(text, "s2cart_payment_callbacks_rejected_total", gateway="PHONEPE", reason="mismatch") == 1
    assert sample(text, LATENCY, gateway="PHONEPE", operation="initiate") == 1
    assert sample(text, LATENCY, gateway="PHONEPE", operation="status") >= 1
    assert sample(text, "s2cart_refunds_total", gateway="PHONEPE", state="REQUESTED") == 0

    cancelled = await customer.client.patch(
        f"/api/auth/orders/{order_id}/", headers=customer.headers, json={"status": "CANCELLED"}
    )
    assert cancelled.status_code == 200, cancelled.text
    await in_app(customer.client, customer.container.reconcile_payments())  # requests or follows up the refund
    [entry] = (await customer.get("/payments/history/")).json()["data"]
    assert entry["status"] == "REFUNDED"

    text = await scrape(api)
    assert sample(text, "s2cart_refunds_total", gateway="PHONEPE", state="REQUESTED") == 1
    assert sample(text, "s2cart_refunds_total", gateway="PHONEPE", state="COMPLETED") == 1
    assert sample(text, LATENCY, gateway="PHONEPE", operation="refund") == 1
    assert sample(text, "s2cart_reconcile_runs_total") == 1
    assert sample(text, "s2cart_reconcile_last_run_timestamp_seconds") > datetime.now(UTC).timestamp() - 60
    assert sample(text, "s2cart_payments_total", gateway="PHONEPE", status="COMPLETED") == 1  # unchanged


async def test_the_backlog_shows_what_a_stopped_reconciler_leaves_and_a_round_clears_it(
    customer: Customer, api: Client, paytm_sim_control: SimControl
) -> None:
    await paytm_sim_control.scenario(deliver="none")  # the customer never pays: nothing settles it but polling
    clock = FakeClock(datetime.now(UTC) - timedelta(minutes=30))
    with customer.container.clock.override(providers.Object(clock)):
        order_id = await customer.order()
        started = await customer.initiate(order_id, "PAYTM")
        assert started.status_code == 201, started.text
        clock.advance(minutes=1)
        assert sample(await scrape(api), "s2cart_payment_checks_overdue") == 0  # its first check is not late yet

    text = await scrape(api)  # 29 minutes later on the real clock, with no reconciler running
    assert sample(text, "s2cart_payments_pending_past_expiry") == 1
    assert sample(text, "s2cart_payment_checks_overdue") == 1

    await in_app(customer.client, customer.container.reconcile_payments())

    text = await scrape(api)
    assert sample(text, "s2cart_payments_pending_past_expiry") == 0
    assert sample(text, "s2cart_payment_checks_overdue") == 0
    assert sample(text, "s2cart_payments_total", gateway="PAYTM", status="EXPIRED") == 1
    assert sample(text, LATENCY, gateway="PAYTM", operation="status") >= 1
