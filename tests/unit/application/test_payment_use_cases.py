from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import pytest

from s2cart.application.errors import GatewayUnavailable, InvalidCallback, InvalidSignature
from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.gateways import Gateways, PaymentLinks
from s2cart.application.payments.handle_callback import HandleGatewayCallback
from s2cart.application.payments.initiate_payment import InitiatePayment
from s2cart.application.payments.reconcile_payments import ReconcilePayments
from s2cart.application.payments.refund_cancelled_order import RefundCancelledOrder
from s2cart.application.payments.refunds import Refunds
from s2cart.application.payments.retry_payment import RetryPayment
from s2cart.application.payments.settlement import Settlement
from s2cart.application.payments.starter import AttemptStarter
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.payments import schedule
from s2cart.domain.payments.errors import (
    AlreadyRetried,
    OrderNotPayable,
    PaymentMethodUnavailable,
    PaymentMismatch,
    PaymentNotFound,
    PaymentRejected,
    RetryLimitReached,
)
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.payments.payment import Action, PaymentState
from tests.fakes import FakeClock
from tests.payment_fakes import FakeGateway, PaymentsUnitOfWork, callback
from tests.unit.domain.payment_builders import TOTAL, an_order

USER, OTHER, ORDER = 1, 2, 7
DEADLINE = 2.0  # generous: 50 deliveries queue on the fake lock before they ask the gateway


@dataclass
class World:
    uow: PaymentsUnitOfWork
    clock: FakeClock
    paytm: FakeGateway
    phonepe: FakeGateway
    initiate: InitiatePayment
    retry: RetryPayment
    callback: HandleGatewayCallback
    reconcile: ReconcilePayments
    refund_cancelled: RefundCancelledOrder
    gateways: Gateways

    def payments(self) -> list:  # type: ignore[type-arg]
        return sorted(self.uow.payments.payments.values(), key=lambda p: p.id)

    def order(self):  # type: ignore[no-untyped-def]
        return self.uow.orders.orders[ORDER]


@pytest.fixture
def world() -> World:
    clock = FakeClock()
    uow = PaymentsUnitOfWork()
    uow.orders.put(an_order(ORDER, USER))
    paytm, phonepe = FakeGateway("PAYTM", clock), FakeGateway("PHONEPE", clock)
    gateways = Gateways({"PAYTM": paytm, "PHONEPE": phonepe})
    links = PaymentLinks("https://api.s2cart.test/api/auth")
    deadline = GatewayDeadline(DEADLINE)
    starter = AttemptStarter(uow, clock, links, deadline)
    settlement = Settlement(uow, gateways, clock)
    refunds = Refunds(uow, gateways, clock)
    return World(
        uow=uow,
        clock=clock,
        paytm=paytm,
        phonepe=phonepe,
        initiate=InitiatePayment(uow, gateways, clock, starter),
        retry=RetryPayment(uow, gateways, clock, starter),
        callback=HandleGatewayCallback(uow, gateways, clock, settlement, refunds, deadline),
        reconcile=ReconcilePayments(uow, settlement, refunds, clock),
        refund_cancelled=RefundCancelledOrder(uow, refunds, deadline),
        gateways=gateways,
    )


async def test_initiate_commits_the_attempt_before_asking_the_gateway(world: World) -> None:
    seen_at_call: list[list[PaymentState]] = []
    original = world.paytm.initiate

    async def spying(request):  # type: ignore[no-untyped-def]
        seen_at_call.append([p.status for p in world.uow.payments.payments.values()])
        return await original(request)

    world.paytm.initiate = spying  # type: ignore[method-assign]
    started = await world.initiate(USER, ORDER, "paytm")

    assert seen_at_call == [[PaymentState.PENDING]]
    assert (started.amount, started.gateway, started.order_id) == (TOTAL, "PAYTM", ORDER)
    assert started.payment_data.token == f"token-{started.payment_data.gateway_order_id}"
    assert started.expires_at == world.clock.now() + timedelta(minutes=15)
    [request] = world.paytm.initiated
    assert request.callback_url == "https://api.s2cart.test/api/auth/payments/paytm/callback/"
    assert (request.amount, request.customer_id) == (TOTAL, "USER_1")
    [payment] = world.payments()
    assert [(r.action, r.status) for r in payment.records] == [(Action.INITIATE, GatewayState.SUCCESS)]
    assert payment.transaction_id.startswith("TXN_PAYTM_7_") and payment.gateway_order_id.startswith("ORD_PAYTM_7_")


async def test_a_new_initiation_supersedes_the_pending_one(world: World) -> None:
    first = await world.initiate(USER, ORDER, "PAYTM")
    second = await world.initiate(USER, ORDER, "PHONEPE")
    old, new = world.payments()
    assert (old.id, old.status, new.id, new.status) == (
        first.payment_id,
        PaymentState.CANCELLED,
        second.payment_id,
        PaymentState.PENDING,
    )
    assert second.payment_data.redirect_url is not None and second.payment_data.token is None


async def test_refusals_write_nothing(world: World) -> None:
    with pytest.raises(PaymentMethodUnavailable) as unknown:
        await world.initiate(USER, ORDER, "STRIPE")
    assert unknown.value.code == "PAY_002"
    with pytest.raises(OrderNotFound):
        await world.initiate(OTHER, ORDER, "PAYTM")
    world.uow.orders.orders[ORDER].mark_paid(world.clock.now())
    with pytest.raises(OrderNotPayable):
        await world.initiate(USER, ORDER, "PAYTM")
    assert world.payments() == [] and world.paytm.initiated == []


async def test_a_rejected_initiation_fails_and_an_unanswered_one_stays_pending(world: World) -> None:
    world.paytm.initiate_state = GatewayState.FAILURE
    with pytest.raises(PaymentRejected):
        await world.initiate(USER, ORDER, "PAYTM")
    world.phonepe.initiate_state = GatewayState.UNKNOWN
    with pytest.raises(GatewayUnavailable):
        await world.initiate(USER, ORDER, "PHONEPE")
    rejected, unknown = world.payments()
    assert rejected.status is PaymentState.FAILED
    assert (unknown.status, unknown.gateway_code) == (PaymentState.PENDING, "TIMEOUT")
    assert unknown.next_check_at == schedule.first_check(unknown.created_at)


@pytest.mark.parametrize("deliveries", [5, 50])
async def test_parallel_deliveries_of_one_success_capture_once(world: World, deliveries: int) -> None:
    started = await world.initiate(USER, ORDER, "PAYTM")
    gateway_id = started.payment_data.gateway_order_id
    world.paytm.states[gateway_id] = GatewayState.SUCCESS
    world.paytm.status_delay = 0.01  # every delivery is in flight before any applies

    results = await asyncio.gather(
        *(world.callback("PAYTM", callback(gateway_id, amount="1130.00")) for _ in range(deliveries))
    )

    assert sorted(r.result for r in results) == ["already_processed"] * (deliveries - 1) + ["applied"]
    [payment] = world.payments()
    assert [r.action for r in payment.records].count(Action.CAPTURE) == 1
    assert payment.status is PaymentState.COMPLETED
    assert world.order().paid_at == payment.captured_at is not None
    assert len(world.uow.payments.notifications) == deliveries


async def test_callbacks_that_do_not_check_out_change_nothing(world: World) -> None:
    started = await world.initiate(USER, ORDER, "PAYTM")
    gateway_id = started.payment_data.gateway_order_id
    world.paytm.states[gateway_id] = GatewayState.SUCCESS

    with pytest.raises(InvalidSignature):
        await world.callback("PAYTM", callback(gateway_id, signed=False))
    assert (await world.callback("PAYTM", callback("ORD_PAYTM_9_0000000000"))).result == "ignored"
    with pytest.raises(PaymentMismatch):
        await world.callback("PAYTM", callback(gateway_id, amount="1.00"))
    world.paytm.amounts[gateway_id] = TOTAL + 1
    with pytest.raises(PaymentMismatch):
        await world.callback("PAYTM", callback(gateway_id))
    world.paytm.amounts.clear()
    world.paytm.states[gateway_id] = GatewayState.PENDING
    assert (await world.callback("PAYTM", callback(gateway_id))).result == "unconfirmed"

    [payment] = world.payments()
    assert payment.status is PaymentState.PENDING and world.order().paid_at is None
    assert [n.result for n in world.uow.payments.notifications] == ["ignored", "mismatch", "mismatch", "unconfirmed"]


async def test_a_late_failure_after_capture_is_ignored(world: World) -> None:
    started = await world.initiate(USER, ORDER, "PAYTM")
    gateway_id = started.payment_data.gateway_order_id
    world.paytm.states[gateway_id] = GatewayState.SUCCESS
    await world.callback("PAYTM", callback(gateway_id))
    world.paytm.states[gateway_id] = GatewayState.FAILURE

    late = await world.callback("PAYTM", callback(gateway_id, signal="FAILURE"))

    assert late.result == "already_processed"
    assert world.payments()[0].status is PaymentState.COMPLETED


async def test_a_late_success_for_a_cancelled_order_is_captured_and_refunded(world: World) -> None:
    started = await world.initiate(USER, ORDER, "PHONEPE")
    gateway_id = started.payment_data.gateway_order_id
    world.phonepe.states[gateway_id] = GatewayState.FAILURE
    await world.callback("PHONEPE", callback(gateway_id, signal="FAILURE"))
    assert world.payments()[0].status is PaymentState.FAILED
    order = world.order()
    order.cancel("too slow", world.clock.now())
    world.clock.advance(minutes=30)
    world.phonepe.states[gateway_id] = GatewayState.SUCCESS

    result = await world.callback("PHONEPE", callback(gateway_id))

    assert result.result == "applied"
    [payment] = world.payments()
    assert payment.status is PaymentState.REFUNDED and payment.captured_at is not None
    assert [r.gateway_order_id for r in world.phonepe.refunds] == [gateway_id]
    assert world.order().refund_due


async def test_retries_are_capped_and_parallel_retries_make_one_attempt(world: World) -> None:
    world.paytm.initiate_state = GatewayState.FAILURE
    with pytest.raises(PaymentRejected):
        await world.initiate(USER, ORDER, "PAYTM")
    world.paytm.initiate_state = GatewayState.SUCCESS
    failed = world.payments()[0].id

    outcomes = await asyncio.gather(*(world.retry(USER, failed) for _ in range(4)), return_exceptions=True)

    assert sum(1 for o in outcomes if isinstance(o, AlreadyRetried)) == 3
    assert len(world.payments()) == 2
    with pytest.raises(PaymentNotFound):
        await world.retry(OTHER, failed)

    world.paytm.initiate_state = GatewayState.FAILURE
    current = world.payments()[-1]
    current.status = PaymentState.FAILED  # the gateway declined it
    world.uow.payments.payments[current.id] = current
    for _ in range(2):
        with pytest.raises(PaymentRejected):
            await world.retry(USER, world.payments()[-1].id)
    with pytest.raises(RetryLimitReached):
        await world.retry(USER, world.payments()[-1].id)
    assert [p.retry_number for p in world.payments()] == [None, 1, 2, 3]


async def test_reconcile_follows_the_schedule_settles_and_expires(world: World) -> None:
    paid = await world.initiate(USER, ORDER, "PAYTM")
    world.uow.orders.put(an_order(8, USER))
    lost = await world.initiate(USER, 8, "PHONEPE")
    world.paytm.states[paid.payment_data.gateway_order_id] = GatewayState.PENDING

    assert (await world.reconcile()).checked == 0  # nothing is due in the first 25 s
    world.clock.advance(seconds=25)
    first = await world.reconcile()
    assert (first.checked, first.captured) == (2, 0)
    world.paytm.states[paid.payment_data.gateway_order_id] = GatewayState.SUCCESS
    world.clock.advance(seconds=3)
    second = await world.reconcile()
    assert (second.checked, second.captured) == (2, 1)
    assert world.order().paid_at is not None

    world.phonepe.status_down = True  # a gateway that does not answer never stops the schedule
    for _ in range(40):
        world.clock.advance(seconds=60)
        await world.reconcile()
    settled, expired = world.payments()
    assert settled.status is PaymentState.COMPLETED
    assert (expired.status, expired.next_check_at) == (PaymentState.EXPIRED, None)
    assert expired.id == lost.payment_id


async def test_cancelling_a_paid_order_refunds_it(world: World) -> None:
    started = await world.initiate(USER, ORDER, "PAYTM")
    gateway_id = started.payment_data.gateway_order_id
    world.paytm.states[gateway_id] = GatewayState.SUCCESS
    await world.callback("PAYTM", callback(gateway_id))
    assert await world.refund_cancelled(USER, ORDER) == []  # not cancelled: nothing to do
    order = world.order()
    order.cancel("changed my mind", world.clock.now())
    world.uow.orders.orders[ORDER] = order
    world.paytm.refund_state = GatewayState.UNKNOWN  # the refund's reply was lost

    [pending] = await world.refund_cancelled(USER, ORDER)

    assert (pending.status, pending.refund_id is not None) == (PaymentState.REFUND_PENDING, True)
    assert await world.refund_cancelled(USER, ORDER) == []  # never asked twice
    report = await world.reconcile()
    assert report.refunds_completed == 1
    assert world.payments()[0].status is PaymentState.REFUNDED
    assert len(world.paytm.refunds) == 1


async def test_a_callback_naming_another_merchant_is_refused_and_recorded_nowhere(world: World) -> None:
    started = await world.initiate(USER, ORDER, "PAYTM")
    gateway_id = started.payment_data.gateway_order_id
    world.paytm.states[gateway_id] = GatewayState.SUCCESS

    with pytest.raises(InvalidCallback) as refused:
        await world.callback("PAYTM", callback(gateway_id, merchant="SOMEONE_ELSE"))

    assert refused.value.code == "PAY_400"
    assert world.uow.payments.notifications == [] and world.paytm.status_calls == []
    assert world.payments()[0].status is PaymentState.PENDING


async def test_a_status_read_for_another_merchant_or_amount_fails_the_attempt_on_reconcile(world: World) -> None:
    started = await world.initiate(USER, ORDER, "PAYTM")
    gateway_id = started.payment_data.gateway_order_id
    world.paytm.states[gateway_id] = GatewayState.SUCCESS
    world.paytm.amounts[gateway_id] = TOTAL - 1
    world.clock.advance(seconds=25)

    report = await world.reconcile()

    [payment] = world.payments()
    assert (report.failed, payment.status, payment.failure_reason) == (1, PaymentState.FAILED, "AMOUNT_MISMATCH")
    assert world.order().paid_at is None


async def test_a_hung_gateway_holds_an_initiation_no_longer_than_the_deadline(world: World) -> None:
    world.paytm.initiate_delay = 30

    began = asyncio.get_running_loop().time()
    with pytest.raises(GatewayUnavailable) as unavailable:
        await world.initiate(USER, ORDER, "PAYTM")
    waited = asyncio.get_running_loop().time() - began

    assert waited < DEADLINE + 0.5 and unavailable.value.detail == "DEADLINE"
    [payment] = world.payments()
    assert (payment.status, payment.gateway_code) == (PaymentState.PENDING, "DEADLINE")
    assert payment.next_check_at == schedule.first_check(payment.created_at)  # the reconciler takes over


async def test_a_hung_status_read_answers_the_callback_503_within_the_deadline(world: World) -> None:
    started = await world.initiate(USER, ORDER, "PAYTM")
    gateway_id = started.payment_data.gateway_order_id
    world.paytm.states[gateway_id] = GatewayState.SUCCESS
    world.paytm.status_delay = 30

    began = asyncio.get_running_loop().time()
    with pytest.raises(GatewayUnavailable):
        await world.callback("PAYTM", callback(gateway_id))

    assert asyncio.get_running_loop().time() - began < DEADLINE + 0.5
    assert world.payments()[0].status is PaymentState.PENDING
    world.paytm.status_delay = 0
    world.clock.advance(seconds=25)
    assert (await world.reconcile()).captured == 1  # no deadline there: the reconciler finishes the work


async def test_a_refund_is_not_started_without_time_left_and_stays_owed_for_the_reconciler(world: World) -> None:
    started = await world.initiate(USER, ORDER, "PAYTM")
    gateway_id = started.payment_data.gateway_order_id
    world.paytm.states[gateway_id] = GatewayState.SUCCESS
    await world.callback("PAYTM", callback(gateway_id))
    order = world.order()
    order.cancel("changed my mind", world.clock.now())
    world.uow.orders.orders[ORDER] = order
    spent = RefundCancelledOrder(world.uow, Refunds(world.uow, world.gateways, world.clock), GatewayDeadline(0.5))

    assert await spent(USER, ORDER) == []  # half a second is too little to start a refund

    assert world.paytm.refunds == []
    [owed] = world.payments()
    assert (owed.status, owed.refund_due, owed.refund_id) == (PaymentState.COMPLETED, True, None)
    assert (await world.reconcile()).refunds_requested == 1  # the reconciler has no deadline
    assert len(world.paytm.refunds) == 1
