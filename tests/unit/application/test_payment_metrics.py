"""The payment flows count what happened, once, where it happened (the PaymentMetrics port)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from s2cart.application.errors import InvalidCallback, InvalidSignature
from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.gateways import Gateways, PaymentLinks
from s2cart.application.payments.handle_callback import HandleGatewayCallback
from s2cart.application.payments.initiate_payment import InitiatePayment
from s2cart.application.payments.reconcile_payments import ReconcilePayments
from s2cart.application.payments.refunds import Refunds
from s2cart.application.payments.settlement import Settlement
from s2cart.application.payments.starter import AttemptStarter
from s2cart.domain.payments.errors import PaymentMismatch
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.payments.payment import PaymentState
from tests.fakes import FakeClock, RecordingPaymentMetrics
from tests.payment_fakes import FakeGateway, PaymentsUnitOfWork, callback
from tests.unit.domain.payment_builders import an_order

USER, ORDER = 1, 7
DEADLINE = 2.0


@dataclass
class World:
    uow: PaymentsUnitOfWork
    clock: FakeClock
    paytm: FakeGateway
    metrics: RecordingPaymentMetrics
    initiate: InitiatePayment
    callback: HandleGatewayCallback
    refunds: Refunds
    reconcile: ReconcilePayments

    async def started(self, order_id: int = ORDER) -> str:
        if order_id not in self.uow.orders.orders:
            self.uow.orders.put(an_order(order_id, USER))
        return (await self.initiate(USER, order_id, "PAYTM")).payment_data.gateway_order_id


@pytest.fixture
def world() -> World:
    clock, uow, metrics = FakeClock(), PaymentsUnitOfWork(), RecordingPaymentMetrics()
    uow.orders.put(an_order(ORDER, USER))
    paytm = FakeGateway("PAYTM", clock)
    gateways = Gateways({"PAYTM": paytm})
    deadline = GatewayDeadline(DEADLINE)
    settlement = Settlement(uow, gateways, clock, metrics=metrics)
    refunds = Refunds(uow, gateways, clock, metrics=metrics)
    starter = AttemptStarter(uow, clock, PaymentLinks("https://s2cart.test"), deadline)
    return World(
        uow=uow,
        clock=clock,
        paytm=paytm,
        metrics=metrics,
        initiate=InitiatePayment(uow, gateways, clock, starter),
        callback=HandleGatewayCallback(uow, gateways, clock, settlement, refunds, deadline, metrics=metrics),
        refunds=refunds,
        reconcile=ReconcilePayments(uow, settlement, refunds, clock, metrics=metrics),
    )


async def test_a_capture_delivered_five_times_is_counted_once(world: World) -> None:
    gateway_id = await world.started()
    world.paytm.states[gateway_id] = GatewayState.SUCCESS
    world.paytm.status_delay = 0.01

    await asyncio.gather(*(world.callback("PAYTM", callback(gateway_id)) for _ in range(5)))

    assert world.metrics.counted == [("settled", "PAYTM", "COMPLETED")]


async def test_each_refused_notification_is_counted_with_its_reason(world: World) -> None:
    gateway_id = await world.started()
    world.paytm.states[gateway_id] = GatewayState.SUCCESS

    with pytest.raises(InvalidSignature):
        await world.callback("PAYTM", callback(gateway_id, signed=False))
    with pytest.raises(InvalidCallback):
        await world.callback("PAYTM", callback(gateway_id, merchant="MID_SOMEONE_ELSE"))
    await world.callback("PAYTM", callback("ORD_PAYTM_9_0000000000"))
    with pytest.raises(PaymentMismatch):
        await world.callback("PAYTM", callback(gateway_id, amount="1.00"))
    world.paytm.amounts[gateway_id] = world.uow.payments.payments[1].amount - 1  # the status API disagrees
    with pytest.raises(PaymentMismatch):
        await world.callback("PAYTM", callback(gateway_id))

    assert world.metrics.counted == [
        ("rejected", "PAYTM", "invalid_signature"),
        ("rejected", "PAYTM", "invalid_callback"),
        ("rejected", "PAYTM", "unknown_payment"),
        ("rejected", "PAYTM", "mismatch"),
        ("rejected", "PAYTM", "mismatch"),
    ]
    assert world.uow.payments.payments[1].status is PaymentState.PENDING


async def test_a_refund_is_counted_when_requested_and_when_its_state_changes(world: World) -> None:
    gateway_id = await world.started()
    world.paytm.states[gateway_id] = GatewayState.SUCCESS
    paid = await world.callback("PAYTM", callback(gateway_id))
    assert paid.payment_id is not None
    world.uow.orders.orders[ORDER].cancel("changed my mind", world.clock.now())
    world.paytm.refund_state = world.paytm.refund_status_state = GatewayState.UNKNOWN  # the answer is lost

    await world.refunds.refund(paid.payment_id)  # requested, outcome unknown
    await world.reconcile()  # asks: still unknown, nothing changed
    world.paytm.refund_status_state = GatewayState.SUCCESS
    await world.reconcile()  # refunded
    await world.reconcile()  # nothing left to do

    assert world.metrics.counted == [
        ("settled", "PAYTM", "COMPLETED"),
        ("refund", "PAYTM", "REQUESTED"),
        ("reconciled",),
        ("refund", "PAYTM", "COMPLETED"),
        ("reconciled",),
        ("reconciled",),
    ]
    assert world.uow.payments.payments[paid.payment_id].status is PaymentState.REFUNDED


async def test_a_refund_the_gateway_refuses_is_counted_failed(world: World) -> None:
    gateway_id = await world.started()
    world.paytm.states[gateway_id] = GatewayState.SUCCESS
    paid = await world.callback("PAYTM", callback(gateway_id))
    assert paid.payment_id is not None
    world.uow.orders.orders[ORDER].cancel("changed my mind", world.clock.now())
    world.paytm.refund_state = GatewayState.FAILURE

    await world.refunds.refund(paid.payment_id)
    await world.reconcile()  # a refused refund is left to an operator: asked for again by nobody

    assert world.metrics.counted == [
        ("settled", "PAYTM", "COMPLETED"),
        ("refund", "PAYTM", "REQUESTED"),
        ("refund", "PAYTM", "FAILED"),
        ("reconciled",),
    ]


async def test_an_attempt_given_up_at_the_horizon_is_counted_expired_answered_or_not(world: World) -> None:
    still_pending = await world.started()
    world.paytm.states[still_pending] = GatewayState.PENDING  # the customer never pays
    world.clock.advance(minutes=21)
    await world.reconcile()  # the gateway still says PENDING at the horizon: S2Cart gives up
    await world.reconcile()  # nothing left to watch

    await world.started(8)
    world.paytm.status_down = True  # and the gateway cannot be asked at the horizon
    world.clock.advance(minutes=21)
    await world.reconcile()

    assert world.metrics.counted == [
        ("settled", "PAYTM", "EXPIRED"),
        ("reconciled",),
        ("reconciled",),
        ("settled", "PAYTM", "EXPIRED"),
        ("reconciled",),
    ]
    assert [p.status for p in world.uow.payments.payments.values()] == [PaymentState.EXPIRED] * 2
