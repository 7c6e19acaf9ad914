"""The payment flows end to end below HTTP: real adapters, the simulators, a real database (both)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from s2cart.adapters.payments.http import make_client
from s2cart.adapters.payments.paytm import PaytmGateway
from s2cart.application.errors import GatewayUnavailable
from s2cart.application.orders.set_order_status import SetOrderStatus
from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.refund_cancelled_order import RefundCancelledOrder
from s2cart.application.ports.payments import InitiateRequest
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.errors import PaymentNotFound, PaymentRejected, RetryLimitReached
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.payments.payment import AMOUNT_MISMATCH, Action, PaymentState
from tests.integration.payments.bridge import Bridge
from tests.integration.payments.conftest import ADAPTER_TIMEOUT, SimControl
from tests.integration.payments.shop import TOTAL, Shop
from tests.integration.payments.vectors import PAYTM_KEY, PAYTM_MID


async def customer(shop: Shop, name: str = "asha") -> tuple[int, int]:
    user = await shop.add_user(name)
    return user, await shop.add_order(user)


async def test_paytm_success_through_the_callback_pays_the_order(
    shop: Shop, paytm_sim_control: SimControl, bridge: Bridge
) -> None:
    user, order_id = await customer(shop)
    started = await shop.initiate()(user, order_id, "PAYTM")
    assert started.payment_data.token and started.payment_data.merchant_id

    paid = await paytm_sim_control.pay(started.payment_data.gateway_order_id)

    assert [(d.path, d.status) for d in bridge.deliveries] == [("/api/auth/payments/paytm/callback/", 200)]
    [payment] = await shop.payments(order_id)
    assert (payment.status, payment.gateway_transaction_id, payment.payment_type) == (
        PaymentState.COMPLETED,
        paid["order"]["txn_id"],
        "UPI",
    )
    assert [r.action for r in payment.records] == [Action.INITIATE, Action.CAPTURE]
    assert (await shop.order(user, order_id)).paid_at == payment.captured_at
    view = await shop.order_reader().one(user, order_id)
    assert view is not None
    assert [(p.id, p.status, p.amount) for p in view.payments] == [(payment.id, "COMPLETED", TOTAL)]


async def test_phonepe_failure_fails_the_attempt_and_leaves_the_order_unpaid(
    shop: Shop, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    user, order_id = await customer(shop)
    started = await shop.initiate()(user, order_id, "PHONEPE")
    assert started.payment_data.redirect_url and "/_sim/phonepe/pay/" in started.payment_data.redirect_url

    await phonepe_sim_control.pay(started.payment_data.gateway_order_id, outcome="failure")

    [payment] = await shop.payments(order_id)
    assert (payment.status, bridge.deliveries[0].status) == (PaymentState.FAILED, 200)
    assert (await shop.order(user, order_id)).paid_at is None


async def test_pending_then_success_is_settled_by_reconcile(shop: Shop, phonepe_sim_control: SimControl) -> None:
    user, order_id = await customer(shop)
    started = await shop.initiate()(user, order_id, "PHONEPE")
    await phonepe_sim_control.pay(
        started.payment_data.gateway_order_id, outcome="pending_then_success", pending_polls=1, deliver="none"
    )
    reconcile = shop.reconcile()

    assert (await reconcile()).checked == 0  # first check 25 s after the start
    shop.clock.advance(seconds=25)
    assert (await reconcile()).captured == 0  # still pending at the gateway
    shop.clock.advance(seconds=3)
    assert (await reconcile()).captured == 1

    [payment] = await shop.payments(order_id)
    assert (payment.status, payment.next_check_at) == (PaymentState.COMPLETED, None)
    assert (await shop.order(user, order_id)).paid_at is not None


async def test_an_initiate_timeout_stays_pending_and_reconcile_finds_the_payment(
    shop: Shop, paytm_sim_control: SimControl
) -> None:
    user, order_id = await customer(shop)
    await paytm_sim_control.fault("initiate", "timeout")

    with pytest.raises(GatewayUnavailable):
        await shop.initiate()(user, order_id, "PAYTM")

    [payment] = await shop.payments(order_id)
    assert (payment.status, payment.gateway_code) == (PaymentState.PENDING, "TIMEOUT")
    await paytm_sim_control.pay(payment.gateway_order_id, deliver="none")  # the gateway had created it
    shop.clock.advance(seconds=25)
    assert (await shop.reconcile()()).captured == 1
    assert (await shop.payments(order_id))[0].status is PaymentState.COMPLETED


@pytest.mark.parametrize("deliveries", [5, 50])
async def test_parallel_deliveries_of_one_success_capture_once(
    shop: Shop, phonepe_sim_control: SimControl, bridge: Bridge, backend: str, deliveries: int
) -> None:
    """A webhook storm: the same signed success delivered many times at once (50-way on PostgreSQL, where the
    row locks decide; SQLite serializes writers anyway)."""
    if deliveries > 5 and backend != "postgresql":
        pytest.skip("the storm is a PostgreSQL race")
    shop.deadline = GatewayDeadline(120)  # this pins the race, not the deadline: queued deliveries must not time out
    user, order_id = await customer(shop)
    started = await shop.initiate()(user, order_id, "PHONEPE")
    bridge.record_only()
    await phonepe_sim_control.pay(started.payment_data.gateway_order_id)
    [delivery] = bridge.deliveries

    answers = await asyncio.gather(
        *(shop.deliver(delivery.path, delivery.headers, delivery.body) for _ in range(deliveries))
    )

    assert [status for status, _ in answers] == [200] * deliveries
    bodies = sorted(body for _, body in answers)
    assert bodies.count(b'{"result":"applied"}') == 1
    assert bodies.count(b'{"result":"already_processed"}') == deliveries - 1
    [payment] = await shop.payments(order_id)
    assert payment.status is PaymentState.COMPLETED
    assert [r.action for r in payment.records].count(Action.CAPTURE) == 1
    order = await shop.order(user, order_id)
    assert order.paid_at == payment.captured_at is not None
    assert order.status is OrderStatus.PLACED  # paid once; nothing else moved it
    assert len(await shop.notifications()) == deliveries


async def test_a_tampered_checksum_is_refused_and_changes_nothing(
    shop: Shop, paytm_sim_control: SimControl, bridge: Bridge
) -> None:
    user, order_id = await customer(shop)
    started = await shop.initiate()(user, order_id, "PAYTM")

    await paytm_sim_control.pay(started.payment_data.gateway_order_id, tamper_signature=True)

    assert [d.status for d in bridge.deliveries] == [401]
    assert (await shop.payments(order_id))[0].status is PaymentState.PENDING
    assert await shop.notifications() == []  # nothing unverified is kept


async def test_a_wrong_amount_is_a_mismatch_and_never_pays(
    shop: Shop, paytm_sim_control: SimControl, bridge: Bridge
) -> None:
    user, order_id = await customer(shop)
    started = await shop.initiate()(user, order_id, "PAYTM")

    await paytm_sim_control.pay(started.payment_data.gateway_order_id, amount_override="1.00")

    assert [d.status for d in bridge.deliveries] == [400]
    assert [n.result for n in await shop.notifications()] == ["mismatch"]
    assert (await shop.payments(order_id))[0].status is PaymentState.PENDING
    shop.clock.advance(seconds=25)
    await shop.reconcile()()  # the status API reports the wrong amount too: FAILED, never fulfilled
    [payment] = await shop.payments(order_id)
    assert (payment.status, payment.failure_reason) == (PaymentState.FAILED, AMOUNT_MISMATCH)
    assert (await shop.order(user, order_id)).paid_at is None


async def test_a_signed_notification_for_an_unknown_attempt_is_ignored(
    shop: Shop, paytm_sim_control: SimControl, bridge: Bridge
) -> None:
    gateway = shop.gateways["PAYTM"]
    callback_url = f"{shop.api_base_url}/payments/paytm/callback/"
    await gateway.initiate(InitiateRequest("ORD_PAYTM_0_STRANGER", TOTAL, "USER_0", callback_url, callback_url))

    await paytm_sim_control.pay("ORD_PAYTM_0_STRANGER")

    assert [(d.status, d.body != b"") for d in bridge.deliveries] == [(200, True)]
    [note] = await shop.notifications()
    assert (note.result, note.payment_id, note.gateway_order_id) == ("ignored", None, "ORD_PAYTM_0_STRANGER")


async def test_one_users_payment_never_touches_another_users_order(shop: Shop, phonepe_sim_control: SimControl) -> None:
    asha, ashas_order = await customer(shop, "asha")
    ravi, ravis_order = await customer(shop, "ravi")
    ravis = await shop.initiate()(ravi, ravis_order, "PHONEPE")
    await phonepe_sim_control.pay(ravis.payment_data.gateway_order_id)

    with pytest.raises(OrderNotFound):
        await shop.initiate()(asha, ravis_order, "PHONEPE")
    with pytest.raises(PaymentNotFound):
        await shop.retry()(asha, ravis.payment_id)
    with pytest.raises(PaymentNotFound):
        await shop.status()(asha, ravis_order)
    assert (await shop.order(ravi, ravis_order)).paid_at is not None
    assert (await shop.order(asha, ashas_order)).paid_at is None
    assert await shop.payments(ashas_order) == []


async def test_retries_are_capped_at_three_and_parallel_retries_make_one_attempt(
    shop: Shop, paytm_sim_control: SimControl
) -> None:
    user, order_id = await customer(shop)
    await paytm_sim_control.scenario(outcome="failure")
    started = await shop.initiate()(user, order_id, "PAYTM")
    await paytm_sim_control.pay(started.payment_data.gateway_order_id)

    outcomes = await asyncio.gather(*(shop.retry()(user, started.payment_id) for _ in range(4)), return_exceptions=True)

    created = [o for o in outcomes if not isinstance(o, BaseException)]
    assert len(created) == 1, outcomes
    assert all(getattr(o, "code", None) == "PAY_008" for o in outcomes if isinstance(o, BaseException))
    latest = created[0]
    for _ in range(2):
        await paytm_sim_control.pay(latest.payment_data.gateway_order_id)
        latest = await shop.retry()(user, latest.payment_id)
    await paytm_sim_control.pay(latest.payment_data.gateway_order_id)
    with pytest.raises(RetryLimitReached):
        await shop.retry()(user, latest.payment_id)

    attempts = await shop.payments(order_id)
    assert [p.retry_number for p in attempts] == [None, 1, 2, 3]
    assert all(p.status is PaymentState.FAILED for p in attempts)
    assert len({p.transaction_id for p in attempts}) == 4
    assert all(p.transaction_id.startswith("TXN_RETRY_") for p in attempts[1:])


async def test_cancelling_a_paid_order_refunds_it(shop: Shop, paytm_sim_control: SimControl) -> None:
    user, order_id = await customer(shop)
    started = await shop.initiate()(user, order_id, "PAYTM")
    await paytm_sim_control.pay(started.payment_data.gateway_order_id)

    [pending] = await shop.cancel(user, order_id)  # the refund is asked for right after the commit

    assert pending.status is PaymentState.REFUND_PENDING  # Paytm registers refunds as pending
    report = await shop.reconcile()()
    assert report.refunds_completed == 1
    [payment] = await shop.payments(order_id)
    assert (payment.status, payment.refunded_at is not None) == (PaymentState.REFUNDED, True)
    assert [(r.action, r.status) for r in payment.records][-2:] == [
        (Action.REFUND, GatewayState.PENDING),
        (Action.REFUND, GatewayState.SUCCESS),
    ]
    sim_order = (await paytm_sim_control._client.get(f"/_sim/paytm/orders/{payment.gateway_order_id}")).json()
    assert sim_order["refunded"] == "1130.00"


async def test_a_late_success_for_a_cancelled_order_is_refunded(
    shop: Shop, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    user, order_id = await customer(shop)
    started = await shop.initiate()(user, order_id, "PHONEPE")
    await phonepe_sim_control.pay(started.payment_data.gateway_order_id, outcome="failure")
    await shop.cancel(user, order_id)
    shop.clock.advance(minutes=30)

    await phonepe_sim_control.pay(started.payment_data.gateway_order_id, outcome="success")  # UPI confirmed late

    assert [d.status for d in bridge.deliveries] == [200, 200]
    [payment] = await shop.payments(order_id)
    assert payment.captured_at is not None and payment.refund_due
    assert payment.status in (PaymentState.REFUND_PENDING, PaymentState.REFUNDED)
    assert (await shop.order(user, order_id)).refund_due


async def test_a_customer_who_paid_two_attempts_gets_one_back(
    shop: Shop, paytm_sim_control: SimControl, phonepe_sim_control: SimControl
) -> None:
    user, order_id = await customer(shop)
    first = await shop.initiate()(user, order_id, "PAYTM")
    second = await shop.initiate()(user, order_id, "PHONEPE")  # supersedes the first

    await phonepe_sim_control.pay(second.payment_data.gateway_order_id)
    await paytm_sim_control.pay(first.payment_data.gateway_order_id)  # the old tab was still open

    superseded, paid = await shop.payments(order_id)
    assert paid.status is PaymentState.COMPLETED and not paid.refund_due
    assert superseded.refund_due and superseded.status is PaymentState.REFUND_PENDING
    assert (await shop.order(user, order_id)).paid_at == paid.captured_at


async def test_the_status_read_refreshes_a_lagging_pending_payment(shop: Shop, phonepe_sim_control: SimControl) -> None:
    user, order_id = await customer(shop)
    started = await shop.initiate()(user, order_id, "PHONEPE")
    await phonepe_sim_control.pay(started.payment_data.gateway_order_id, deliver="none")
    status = shop.status()

    assert (await status(user, order_id)).status == "PENDING"  # just started: not asked yet
    assert await phonepe_sim_control.requests("status") == []
    shop.clock.advance(seconds=6)
    view = await status(user, order_id)

    assert (view.status, view.payment_id) == ("COMPLETED", started.payment_id)
    assert len(await phonepe_sim_control.requests("status")) == 1


async def test_an_abandoned_payment_expires_at_the_horizon(shop: Shop, phonepe_sim_control: SimControl) -> None:
    user, order_id = await customer(shop)
    await phonepe_sim_control.fault("initiate", "http_500")  # the gateway never created it
    with pytest.raises(GatewayUnavailable):
        await shop.initiate()(user, order_id, "PHONEPE")
    for _ in range(25):
        shop.clock.advance(minutes=1)
        await shop.reconcile()()
    [payment] = await shop.payments(order_id)
    assert (payment.status, payment.next_check_at) == (PaymentState.EXPIRED, None)
    assert payment.created_at + timedelta(minutes=20) <= shop.clock.now()


async def test_a_gateway_refusal_at_initiate_fails_the_attempt_which_may_be_retried(
    shop: Shop, gateway_url: str, paytm_sim_control: SimControl
) -> None:
    user, order_id = await customer(shop)
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        # A website name the gateway does not know for this merchant: Paytm answers resultStatus F.
        misconfigured = PaytmGateway(http, mid=PAYTM_MID, merchant_key=PAYTM_KEY, website="DEFAULT")
        shop.gateways = {**shop.gateways, "PAYTM": misconfigured}
        with pytest.raises(PaymentRejected) as refused:
            await shop.initiate()(user, order_id, "PAYTM")
    assert refused.value.code == "PAY_001"
    [payment] = await shop.payments(order_id)
    assert (payment.status, payment.failure_reason) == (PaymentState.FAILED, "1001")
    assert [(r.action, r.status) for r in payment.records] == [(Action.INITIATE, GatewayState.FAILURE)]


async def test_an_operators_cancellation_asks_for_the_refund_at_once_like_a_customers(
    shop: Shop, phonepe_sim_control: SimControl
) -> None:
    user, order_id = await customer(shop)
    started = await shop.initiate()(user, order_id, "PHONEPE")
    await phonepe_sim_control.pay(started.payment_data.gateway_order_id)
    order = await shop.order(user, order_id)
    refund = RefundCancelledOrder(shop.uow, shop.refunds(), shop.deadline)
    await SetOrderStatus(shop.uow, shop.clock, refund)(order.order_number, OrderStatus.CANCELLED)

    assert len(await phonepe_sim_control.requests("refund")) == 1  # before any reconciler ran
    [payment] = await shop.payments(order_id)
    assert payment.status is PaymentState.REFUND_PENDING  # PhonePe registers refunds as pending
    report = await shop.reconcile()()
    assert (report.refunds_requested, report.refunds_completed) == (0, 1)  # followed up, never asked twice
    assert len(await phonepe_sim_control.requests("refund")) == 1
