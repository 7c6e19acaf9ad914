"""The payment flows with PhonePe on Standard Checkout v2 only: real adapter, the simulator's v2 side (webhooks
included), a real database (both backends)."""

from __future__ import annotations

import asyncio
import json

from s2cart.domain.payments.payment import Action, PaymentState
from s2cart.simulators import signing
from tests.integration.payments.bridge import Bridge
from tests.integration.payments.conftest import PHONEPE_WEBHOOK_PATH, SimControl
from tests.integration.payments.shop import TOTAL, Shop
from tests.integration.payments.vectors import (
    PHONEPE_MERCHANT_ID,
    PHONEPE_V2_WEBHOOK_PASSWORD,
    PHONEPE_V2_WEBHOOK_USERNAME,
)


async def started(shop: Shop, name: str = "asha") -> tuple[int, int, str]:
    user = await shop.add_user(name)
    order_id = await shop.add_order(user)
    attempt = await shop.initiate()(user, order_id, "PHONEPE")
    assert attempt.payment_data.redirect_url and "/_sim/phonepe/pay/" in attempt.payment_data.redirect_url
    return user, order_id, attempt.payment_data.gateway_order_id


def forged(gateway_order_id: str, transaction_id: str | None = None) -> tuple[dict[str, str], bytes]:
    """A success webhook built by someone who holds the webhook credentials but not the payment."""
    attempt = {"transactionId": transaction_id, "paymentMode": "UPI_INTENT", "state": "COMPLETED"}
    payload = {
        "merchantId": PHONEPE_MERCHANT_ID,
        "merchantOrderId": gateway_order_id,
        "orderId": "OMO_FORGED",
        "state": "COMPLETED",
        "amount": int(TOTAL * 100),
        "paymentDetails": [attempt] if transaction_id else [],
    }
    headers = {
        "content-type": "application/json",
        "authorization": signing.webhook_authorization(PHONEPE_V2_WEBHOOK_USERNAME, PHONEPE_V2_WEBHOOK_PASSWORD),
    }
    return headers, json.dumps({"event": "checkout.order.completed", "payload": payload}).encode()


async def test_success_through_the_webhook_pays_the_order(
    shop_v2: Shop, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    user, order_id, gateway_id = await started(shop_v2)

    paid = await phonepe_sim_control.pay(gateway_id)

    assert [(d.path, d.status) for d in bridge.deliveries] == [(PHONEPE_WEBHOOK_PATH, 200)]
    assert "x-verify" not in bridge.deliveries[0].headers and "authorization" in bridge.deliveries[0].headers
    [payment] = await shop_v2.payments(order_id)
    assert (payment.status, payment.gateway_transaction_id, payment.payment_type) == (
        PaymentState.COMPLETED,
        paid["order"]["txn_id"],
        "UPI_INTENT",
    )
    assert (await shop_v2.order(user, order_id)).paid_at == payment.captured_at
    assert [(n.result, n.claimed) for n in await shop_v2.notifications()] == [("applied", "SUCCESS")]
    assert [r.action for r in payment.records] == [Action.INITIATE, Action.CAPTURE]
    assert [r["path"] for r in await phonepe_sim_control.requests("status")] == [
        f"/checkout/v2/order/{gateway_id}/status"  # the webhook was confirmed before it was believed
    ]


async def test_failure_fails_the_attempt_and_leaves_the_order_unpaid(
    shop_v2: Shop, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    user, order_id, gateway_id = await started(shop_v2)

    await phonepe_sim_control.pay(gateway_id, outcome="failure")

    [payment] = await shop_v2.payments(order_id)
    assert (payment.status, bridge.deliveries[0].status) == (PaymentState.FAILED, 200)
    assert (await shop_v2.order(user, order_id)).paid_at is None


async def test_pending_then_success_is_settled_by_the_reconciler(
    shop_v2: Shop, phonepe_sim_control: SimControl
) -> None:
    user, order_id, gateway_id = await started(shop_v2)
    await phonepe_sim_control.pay(gateway_id, outcome="pending_then_success", pending_polls=1, deliver="none")
    reconcile = shop_v2.reconcile()

    assert (await reconcile()).checked == 0  # first check 25 s after the start
    shop_v2.clock.advance(seconds=25)
    assert (await reconcile()).captured == 0  # still pending at PhonePe
    shop_v2.clock.advance(seconds=3)
    assert (await reconcile()).captured == 1

    [payment] = await shop_v2.payments(order_id)
    assert (payment.status, payment.next_check_at) == (PaymentState.COMPLETED, None)
    assert (await shop_v2.order(user, order_id)).paid_at is not None


async def test_an_abandoned_checkout_expires(shop_v2: Shop, phonepe_sim_control: SimControl) -> None:
    _, order_id, _ = await started(shop_v2)
    shop_v2.clock.advance(minutes=21)

    await shop_v2.reconcile()()

    assert (await shop_v2.payments(order_id))[0].status is PaymentState.EXPIRED


async def test_cancelling_a_paid_order_refunds_it_through_the_v2_refund_api(
    shop_v2: Shop, phonepe_sim_control: SimControl
) -> None:
    user, order_id, gateway_id = await started(shop_v2)
    await phonepe_sim_control.pay(gateway_id)

    [pending] = await shop_v2.cancel(user, order_id)

    assert pending.status is PaymentState.REFUND_PENDING  # PhonePe answers a refund PENDING
    assert (await shop_v2.reconcile()()).refunds_completed == 1
    [payment] = await shop_v2.payments(order_id)
    assert (payment.status, payment.refunded_at is not None) == (PaymentState.REFUNDED, True)
    [refund] = await phonepe_sim_control.requests("refund")
    asked = json.loads(refund["body"])
    assert (asked["originalMerchantOrderId"], asked["amount"]) == (gateway_id, 113000)
    [status] = await phonepe_sim_control.requests("refund_status")
    assert status["path"] == f"/payments/v2/refund/{asked['merchantRefundId']}/status"
    sim_order = (await phonepe_sim_control._client.get(f"/_sim/phonepe/orders/{gateway_id}")).json()
    assert sim_order["refunded"] == "1130.00"


async def test_a_wrong_authorization_is_a_401_that_changes_nothing(
    shop_v2: Shop, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    user, order_id, gateway_id = await started(shop_v2)

    await phonepe_sim_control.pay(gateway_id, tamper_signature=True)

    assert [d.status for d in bridge.deliveries] == [401]
    assert (await shop_v2.payments(order_id))[0].status is PaymentState.PENDING
    assert await shop_v2.notifications() == []  # nothing unverified is kept
    assert await phonepe_sim_control.requests("status") == []  # nor does it cost a status call
    assert (await shop_v2.order(user, order_id)).paid_at is None


async def test_a_claim_the_status_api_denies_is_unconfirmed_and_changes_nothing(
    shop_v2: Shop, phonepe_sim_control: SimControl
) -> None:
    user, order_id, gateway_id = await started(shop_v2)
    await phonepe_sim_control.pay(gateway_id, outcome="pending", deliver="none")
    headers, content = forged(gateway_id)

    status, answer = await shop_v2.deliver(PHONEPE_WEBHOOK_PATH, headers, content)

    assert (status, answer) == (200, b'{"result":"unconfirmed"}')
    [payment] = await shop_v2.payments(order_id)
    assert (payment.status, payment.gateway_transaction_id) == (PaymentState.PENDING, None)
    assert [(n.result, n.claimed) for n in await shop_v2.notifications()] == [("unconfirmed", "SUCCESS")]
    assert (await shop_v2.order(user, order_id)).paid_at is None
    assert len(await phonepe_sim_control.requests("status")) == 1  # the claim was put to the status API

    headers, content = forged(gateway_id, transaction_id="OM_FORGED")  # names a payment PhonePe never saw
    assert (await shop_v2.deliver(PHONEPE_WEBHOOK_PATH, headers, content))[0] == 400
    assert (await shop_v2.payments(order_id))[0].status is PaymentState.PENDING
    assert [n.result for n in await shop_v2.notifications()] == ["unconfirmed", "mismatch"]


async def test_duplicate_and_parallel_webhooks_capture_once(
    shop_v2: Shop, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    user, order_id, gateway_id = await started(shop_v2)

    await phonepe_sim_control.pay(gateway_id, deliver="duplicate")
    [first, second] = bridge.deliveries
    answers = await asyncio.gather(*(shop_v2.deliver(first.path, first.headers, first.body) for _ in range(5)))

    assert (first.status, second.status) == (200, 200)
    assert [status for status, _ in answers] == [200] * 5
    assert {body for _, body in answers} == {b'{"result":"already_processed"}'}
    [payment] = await shop_v2.payments(order_id)
    assert [r.action for r in payment.records].count(Action.CAPTURE) == 1
    assert (await shop_v2.order(user, order_id)).paid_at == payment.captured_at


async def test_a_webhook_naming_another_merchant_is_a_400_that_changes_nothing(
    shop_v2: Shop, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    _, order_id, gateway_id = await started(shop_v2)

    await phonepe_sim_control.pay(gateway_id, wrong_mid=True)

    assert [d.status for d in bridge.deliveries] == [400]
    assert (await shop_v2.payments(order_id))[0].status is PaymentState.PENDING
    assert await phonepe_sim_control.requests("status") == []
