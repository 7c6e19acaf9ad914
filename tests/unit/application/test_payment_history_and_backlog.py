"""ListPayments and MeasurePaymentBacklog over fake readers: the history's filters (bad ones are a 400
naming the field), and the backlog that grows while the reconciler is away and empties when it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.gateways import Gateways, PaymentLinks
from s2cart.application.payments.handle_callback import HandleGatewayCallback
from s2cart.application.payments.initiate_payment import InitiatePayment
from s2cart.application.payments.measure_backlog import MeasurePaymentBacklog
from s2cart.application.payments.queries import ListPayments
from s2cart.application.payments.reconcile_payments import ReconcilePayments
from s2cart.application.payments.refunds import Refunds
from s2cart.application.payments.settlement import Settlement
from s2cart.application.payments.starter import AttemptStarter
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.pagination import PageRequest
from tests.fakes import FakeClock
from tests.payment_fakes import FakeGateway, PaymentsUnitOfWork, callback
from tests.reader_fakes import FakePaymentBacklogReader, FakePaymentReader
from tests.unit.domain.payment_builders import an_order

USER, OTHER = 1, 2


@dataclass
class World:
    uow: PaymentsUnitOfWork
    clock: FakeClock
    paytm: FakeGateway
    initiate: InitiatePayment
    callback: HandleGatewayCallback
    reconcile: ReconcilePayments
    history: ListPayments
    backlog: MeasurePaymentBacklog

    async def pay(self, order_id: int, user_id: int = USER, succeed: bool = True) -> int:
        started = await self.initiate(user_id, order_id, "PAYTM")
        if succeed:
            gateway_id = started.payment_data.gateway_order_id
            self.paytm.states[gateway_id] = GatewayState.SUCCESS
            await self.callback("PAYTM", callback(gateway_id))
        return started.payment_id


@pytest.fixture
def world() -> World:
    clock, uow = FakeClock(), PaymentsUnitOfWork()
    for order_id, user_id in ((7, USER), (8, USER), (9, OTHER)):
        uow.orders.put(an_order(order_id, user_id))
    paytm = FakeGateway("PAYTM", clock)
    gateways = Gateways({"PAYTM": paytm})
    deadline = GatewayDeadline(2.0)
    settlement, refunds = Settlement(uow, gateways, clock), Refunds(uow, gateways, clock)
    starter = AttemptStarter(uow, clock, PaymentLinks("https://api.s2cart.test/api/auth"), deadline)
    return World(
        uow=uow,
        clock=clock,
        paytm=paytm,
        initiate=InitiatePayment(uow, gateways, clock, starter),
        callback=HandleGatewayCallback(uow, gateways, clock, settlement, refunds, deadline),
        reconcile=ReconcilePayments(uow, settlement, refunds, clock),
        history=ListPayments(FakePaymentReader(uow.orders, uow.payments)),
        backlog=MeasurePaymentBacklog(FakePaymentBacklogReader(uow.payments), clock),
    )


async def test_history_is_the_callers_newest_first_with_filters(world: World) -> None:
    paid = await world.pay(7)
    world.clock.advance(days=1)
    pending = await world.pay(8, succeed=False)
    await world.pay(9, user_id=OTHER)

    everything = await world.history(USER, PageRequest())
    assert [p.id for p in everything.items] == [pending, paid]
    completed = await world.history(USER, PageRequest(), status="COMPLETED", payment_type=" upi ")
    assert [(p.id, p.payment_type, p.completed_at is not None) for p in completed.items] == [(paid, "UPI", True)]
    first_day = (await world.history(USER, PageRequest(), from_date="2026-01-20", to_date="2026-01-20")).items
    assert [p.id for p in first_day] == [paid]
    assert first_day[0].billing_address_details == {"city": "Mumbai"}


async def test_bad_history_filters_are_a_400_naming_each(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await world.history(USER, PageRequest(), status="LOST", payment_type="x y", from_date="20-01-2026")
    assert set(refused.value.errors) == {"status", "payment_type", "from_date"}
    with pytest.raises(ValidationFailed) as backwards:
        await world.history(USER, PageRequest(), from_date="2026-01-21", to_date="2026-01-20")
    assert set(backwards.value.errors) == {"from_date"}


async def test_the_backlog_grows_while_the_reconciler_is_away_and_empties_when_it_runs(world: World) -> None:
    await world.pay(7, succeed=False)
    world.paytm.status_down = True  # the gateway cannot say either: the attempt stays PENDING
    fresh = await world.backlog()
    assert (fresh.pending_past_expiry, fresh.checks_overdue) == (0, 0)

    world.clock.advance(minutes=21)
    away = await world.backlog()
    assert (away.pending_past_expiry, away.checks_overdue) == (1, 1)

    world.paytm.status_down = False
    await world.reconcile()
    back = await world.backlog()
    assert (back.pending_past_expiry, back.checks_overdue) == (0, 0)


async def test_a_check_only_slightly_late_is_not_overdue(world: World) -> None:
    await world.pay(7, succeed=False)
    [payment] = world.uow.payments.payments.values()
    assert payment.next_check_at is not None
    world.clock.current = payment.next_check_at + timedelta(minutes=2) - timedelta(seconds=1)
    assert (await world.backlog()).checks_overdue == 0
    world.clock.advance(seconds=1)
    assert (await world.backlog()).checks_overdue == 1
