"""PaytmGateway.fetch_status against the simulator: each outcome, mismatches, expiry, retries and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from s2cart.adapters.payments.http import make_client
from s2cart.adapters.payments.paytm import PaytmGateway
from s2cart.application.errors import GatewayRejected, GatewayUnavailable, InvalidSignature
from s2cart.application.ports.payments import InitiateRequest, StatusQuery
from s2cart.domain.payments.status import AMOUNT_MISMATCH, GatewaySignal, PaymentStatus
from tests.fakes import FakeClock
from tests.integration.payments.conftest import ADAPTER_TIMEOUT, SimControl
from tests.integration.payments.vectors import PAYTM_KEY, PAYTM_MID

ORDER = "ORD_STATUS_1"
AMOUNT = Decimal("499.00")


async def initiated(paytm: PaytmGateway) -> None:
    result = await paytm.initiate(InitiateRequest(ORDER, AMOUNT, "CUST_42", "http://127.0.0.1:9/cb", "http://x/r"))
    assert result.token


def query(clock: FakeClock, amount: Decimal = AMOUNT) -> StatusQuery:
    return StatusQuery(ORDER, amount, initiated_at=clock.now())


async def test_a_paid_order_completes_with_what_a_refund_needs(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock
) -> None:
    await initiated(paytm)
    paid = await paytm_sim_control.pay(ORDER, deliver="none")
    result = await paytm.fetch_status(query(clock))
    assert (result.signal, result.status, result.reason) == (
        GatewaySignal.SUCCESS,
        PaymentStatus.COMPLETED,
        None,
    )
    assert (result.amount, result.gateway_code, result.payment_mode) == (AMOUNT, "01", "UPI")
    assert result.gateway_txn_id == paid["order"]["txn_id"]
    assert result.checked_at == clock.now()


@pytest.mark.parametrize(
    ("outcome", "signal", "status", "code"),
    [
        ("failure", GatewaySignal.FAILURE, PaymentStatus.FAILED, "227"),
        ("pending", GatewaySignal.PENDING, PaymentStatus.PENDING, "402"),
    ],
)
async def test_failed_and_pending_payments(
    paytm: PaytmGateway,
    paytm_sim_control: SimControl,
    clock: FakeClock,
    outcome: str,
    signal: GatewaySignal,
    status: PaymentStatus,
    code: str,
) -> None:
    await initiated(paytm)
    await paytm_sim_control.pay(ORDER, outcome=outcome, deliver="none")
    result = await paytm.fetch_status(query(clock))
    assert (result.signal, result.status, result.gateway_code) == (signal, status, code)


async def test_pending_then_success_completes_on_a_later_poll(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock
) -> None:
    await initiated(paytm)
    await paytm_sim_control.pay(ORDER, outcome="pending_then_success", deliver="none")
    first = await paytm.fetch_status(query(clock))
    second = await paytm.fetch_status(query(clock))
    assert (first.status, second.status) == (PaymentStatus.PENDING, PaymentStatus.COMPLETED)


async def test_an_unknown_order_is_pending_until_the_window_closes_then_expired(
    paytm: PaytmGateway, clock: FakeClock
) -> None:
    started = query(clock)
    early = await paytm.fetch_status(started)
    clock.advance(minutes=20)
    late = await paytm.fetch_status(started)
    assert (early.signal, early.gateway_code, early.status) == (
        GatewaySignal.NOT_FOUND,
        "331",
        PaymentStatus.PENDING,
    )
    assert late.status is PaymentStatus.EXPIRED


@pytest.mark.parametrize(
    "twist",
    [{"amount_override": "1.00"}, {"wrong_mid": True}],
    ids=["amount", "merchant"],
)
async def test_a_success_that_does_not_match_fails_as_amount_mismatch(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock, twist: dict[str, object]
) -> None:
    await initiated(paytm)
    await paytm_sim_control.pay(ORDER, deliver="none", **twist)
    result = await paytm.fetch_status(query(clock))
    assert (result.signal, result.status, result.reason) == (
        GatewaySignal.SUCCESS,
        PaymentStatus.FAILED,
        AMOUNT_MISMATCH,
    )


async def test_asking_about_another_amount_is_a_mismatch_too(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock
) -> None:
    await initiated(paytm)
    await paytm_sim_control.pay(ORDER, deliver="none")
    result = await paytm.fetch_status(query(clock, amount=Decimal("498.99")))
    assert (result.status, result.reason, result.amount) == (PaymentStatus.FAILED, AMOUNT_MISMATCH, AMOUNT)


@pytest.mark.parametrize("mode", ["timeout", "http_500", "malformed_json", "drop"])
async def test_a_status_call_that_fails_once_is_retried_once(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock, mode: str
) -> None:
    await initiated(paytm)
    await paytm_sim_control.pay(ORDER, deliver="none")
    await paytm_sim_control.fault("status", mode, count=1)
    result = await paytm.fetch_status(query(clock))
    assert result.status is PaymentStatus.COMPLETED
    assert len(await paytm_sim_control.requests("status")) == 2


@pytest.mark.parametrize(("mode", "reason"), [("timeout", "TIMEOUT"), ("malformed_json", "BAD_REPLY")])
async def test_a_status_call_that_fails_twice_raises_unavailable(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock, mode: str, reason: str
) -> None:
    await paytm_sim_control.fault("status", mode, count=2)
    with pytest.raises(GatewayUnavailable) as caught:
        await paytm.fetch_status(query(clock))
    assert (caught.value.code, caught.value.detail) == ("PAY_503", reason)
    assert len(await paytm_sim_control.requests("status")) == 2


async def test_a_status_hang_scripted_by_amount_is_a_timeout(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock
) -> None:
    # The simulator's convention: an amount ending in ..04 paise makes the status API hang.
    amount = Decimal("12.04")
    await paytm.initiate(InitiateRequest(ORDER, amount, "CUST_42", "http://127.0.0.1:9/cb", "http://x/r"))
    await paytm_sim_control.pay(ORDER, deliver="none")
    with pytest.raises(GatewayUnavailable):
        await paytm.fetch_status(query(clock, amount))


async def test_a_status_call_for_another_merchant_is_refused_not_failed(
    gateway_url: str, paytm_sim_control: SimControl, clock: FakeClock
) -> None:
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        gateway = PaytmGateway(
            http, mid="OTHERMID00000000001", merchant_key=PAYTM_KEY, website="WEBSTAGING", clock=clock
        )
        with pytest.raises(GatewayRejected) as caught:
            await gateway.fetch_status(query(clock))
    assert caught.value.gateway_code == "335"
    assert len(await paytm_sim_control.requests("status")) == 1  # a refusal is not retried


async def test_a_status_reply_that_does_not_verify_is_not_believed(
    gateway_url: str, paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock
) -> None:
    await initiated(paytm)
    await paytm_sim_control.pay(ORDER, deliver="none")  # a success a forger would love to report
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        gateway = PaytmGateway(http, mid=PAYTM_MID, merchant_key="WrongKey12345678", website="WEBSTAGING", clock=clock)
        with pytest.raises(InvalidSignature):
            await gateway.fetch_status(query(clock))
