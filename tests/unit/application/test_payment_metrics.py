"""The payment flows count what happened, once, where it happened (the PaymentMetrics port)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from s2cart.application.errors import InvalidSignature
from s2cart.application.payments.gateways import Gateways, PaymentLinks
from s2cart.application.payments.handle_callback import HandleGatewayCallback
from s2cart.application.payments.initiate_payment import InitiatePayment
from s2cart.application.payments.reconcile_payments import ReconcilePayments
from s2cart.application.payments.refunds import Refunds
from s2cart.application.payments.settlement import Settlement
from s2cart.application.payments.starter import AttemptStarter
from s2cart.domain.payments.errors import PaymentMismatch
from s2cart.domain.payments.status import GatewaySignal
from tests.fakes import FakeClock, RecordingPaymentMetrics
from tests.payment_fakes import FakeGateway, PaymentsUnitOfWork, callback
from tests.unit.domain.payment_builders import an_order

USER, ORDER = 1, 7


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


@pytest.fixture
def world() -> World:
    clock, uow, metrics = FakeClock(), PaymentsUnitOfWork(), RecordingPaymentMetrics()
    uow.orders.put(an_order(ORDER, USER))
    paytm = FakeGateway("PAYTM", clock)
    gateways = Gateways({"PAYTM": paytm})
    settlement = Settlement(uow, gateways, clock, metrics=metrics)
    refunds = Refunds(uow, gateways, clock, metrics=metrics)
    return World(
        uow=uow,
        clock=clock,
        paytm=paytm,
        metrics=metrics,
        initiate=InitiatePayment(uow, gateways, clock, AttemptStarter(uow, clock, PaymentLinks("https://s2cart.test"))),
        callback=HandleGatewayCallback(uow, gateways, clock, settlement, refunds, metrics=metrics),
        refunds=refunds,
        reconcile=ReconcilePayments(uow, settlement, refunds, clock, metrics=metrics),
    )


async def test_a_capture_delivered_five_times_is_counted_once(world: World) -> None:
    gateway_id = (await world.initiate(USER, ORDER, "PAYTM")).payment_data.gateway_order_id
    world.paytm.signals[gateway_id] = GatewaySignal.SUCCESS
    world.paytm.status_delay = 0.01

    await asyncio.gather(*(world.callback("PAYTM", callback(gateway_id)) for _ in range(5)))

    assert world.metrics.counted == [("settled", "PAYTM", "COMPLETED")]


async def test_each_refused_notification_is_counted_with_its_reason(world: World) -> None:
    gateway_id = (await world.initiate(USER, ORDER, "PAYTM")).payment_data.gateway_order_id
    world.paytm.signals[gateway_id] = GatewaySignal.SUCCESS

    with pytest.raises(InvalidSignature):
        await world.callback("PAYTM", callback(gateway_id, signed=False))
    await world.callback("PAYTM", callback("ORD_PAYTM_9_0000000000"))
    with pytest.raises(PaymentMismatch):
        await world.callback("PAYTM", callback(gateway_id, amount="1.00"))

    assert world.metrics.counted == [
        ("rejected", "PAYTM", "invalid_signature"),
        ("rejected", "PAYTM", "unknown_payment"),
        ("rejected", "PAYTM", "mismatch"),
    ]


async def test_a_refund_and_an_expiry_are_counted_when_their_state_changes(world: World) -> None:
    gateway_id = (await world.initiate(USER, ORDER, "PAYTM")).payment_data.gateway_order_id
    world.paytm.signals[gateway_id] = GatewaySignal.SUCCESS
    paid = await world.callback("PAYTM", callback(gateway_id))
    assert paid.payment_id is not None
    world.uow.orders.orders[ORDER].cancel("changed my mind", world.clock.now())
    world.paytm.refund_signal = world.paytm.refund_status_signal = GatewaySignal.UNKNOWN  # the answer is lost

    await world.refunds.refund(paid.payment_id)  # requested, outcome unknown
    await world.reconcile()  # asks: still pending, nothing changed
    world.paytm.refund_status_signal = GatewaySignal.SUCCESS
    await world.reconcile()  # refunded

    world.uow.orders.put(an_order(8, USER))
    unpaid = (await world.initiate(USER, 8, "PAYTM")).payment_data.gateway_order_id
    world.paytm.signals[unpaid] = GatewaySignal.PENDING  # the customer never pays
    world.clock.advance(minutes=21)
    await world.reconcile()  # the gateway still says PENDING at the horizon: S2Cart gives up

    assert world.metrics.counted == [
        ("settled", "PAYTM", "COMPLETED"),
        ("refund", "PAYTM", "REQUESTED"),
        ("reconciled",),
        ("refund", "PAYTM", "COMPLETED"),
        ("reconciled",),
        ("settled", "PAYTM", "EXPIRED"),
        ("reconciled",),
    ]
