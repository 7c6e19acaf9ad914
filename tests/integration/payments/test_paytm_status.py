"""PaytmGateway.fetch_status against the simulator: the facts of each outcome (the Payment judges them),
retries and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from s2cart.adapters.payments.http import make_client
from s2cart.adapters.payments.paytm import PaytmGateway
from s2cart.application.errors import GatewayRejected, GatewayUnavailable, InvalidSignature
from s2cart.application.ports.payments import InitiateRequest, StatusQuery
from s2cart.domain.payments.facts import GatewayState
from tests.fakes import FakeClock
from tests.integration.payments.conftest import ADAPTER_TIMEOUT, SimControl
from tests.integration.payments.vectors import PAYTM_KEY, PAYTM_MID

ORDER = "ORD_STATUS_1"
AMOUNT = Decimal("499.00")


async def initiated(paytm: PaytmGateway) -> None:
    result = await paytm.initiate(InitiateRequest(ORDER, AMOUNT, "CUST_42", "http://127.0.0.1:9/cb", "http://x/r"))
    assert result.token


def query(clock: FakeClock | None = None) -> StatusQuery:
    return StatusQuery(ORDER)


async def test_a_paid_order_is_reported_with_what_a_refund_needs(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock
) -> None:
    await initiated(paytm)
    paid = await paytm_sim_control.pay(ORDER, deliver="none")
    result = await paytm.fetch_status(query(clock))
    assert (result.state, result.gateway_order_id, result.merchant_id) == (GatewayState.SUCCESS, ORDER, PAYTM_MID)
    assert (result.amount_paise, result.code, result.mode) == (49900, "01", "UPI")
    assert result.transaction_id == paid["order"]["txn_id"]


@pytest.mark.parametrize(
    ("outcome", "state", "code"),
    [("failure", GatewayState.FAILURE, "227"), ("pending", GatewayState.PENDING, "402")],
)
async def test_failed_and_pending_payments(
    paytm: PaytmGateway,
    paytm_sim_control: SimControl,
    clock: FakeClock,
    outcome: str,
    state: GatewayState,
    code: str,
) -> None:
    await initiated(paytm)
    await paytm_sim_control.pay(ORDER, outcome=outcome, deliver="none")
    result = await paytm.fetch_status(query(clock))
    assert (result.state, result.code) == (state, code)


async def test_pending_then_success_completes_on_a_later_poll(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock
) -> None:
    await initiated(paytm)
    await paytm_sim_control.pay(ORDER, outcome="pending_then_success", deliver="none")
    first = await paytm.fetch_status(query(clock))
    second = await paytm.fetch_status(query(clock))
    assert (first.state, second.state) == (GatewayState.PENDING, GatewayState.SUCCESS)


async def test_an_unknown_order_is_reported_as_no_record(paytm: PaytmGateway, clock: FakeClock) -> None:
    result = await paytm.fetch_status(query(clock))
    assert (result.state, result.code) == (GatewayState.NOT_FOUND, "331")


@pytest.mark.parametrize(
    "twist",
    [{"amount_override": "1.00"}, {"wrong_mid": True}],
    ids=["amount", "merchant"],
)
async def test_a_success_for_another_amount_or_merchant_is_reported_as_the_gateway_said_it(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock, twist: dict[str, object]
) -> None:
    await initiated(paytm)
    await paytm_sim_control.pay(ORDER, deliver="none", **twist)
    result = await paytm.fetch_status(query(clock))
    assert result.state is GatewayState.SUCCESS  # the Payment judges it (AMOUNT_MISMATCH), not the adapter
    if "amount_override" in twist:
        assert (result.amount_paise, result.merchant_id) == (100, PAYTM_MID)
    else:
        assert (result.amount_paise, result.merchant_id != PAYTM_MID) == (49900, True)


@pytest.mark.parametrize("mode", ["timeout", "http_500", "malformed_json", "drop"])
async def test_a_status_call_that_fails_once_is_retried_once(
    paytm: PaytmGateway, paytm_sim_control: SimControl, clock: FakeClock, mode: str
) -> None:
    await initiated(paytm)
    await paytm_sim_control.pay(ORDER, deliver="none")
    await paytm_sim_control.fault("status", mode, count=1)
    result = await paytm.fetch_status(query(clock))
    assert result.state is GatewayState.SUCCESS
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
        await paytm.fetch_status(query(clock))


async def test_a_status_call_for_another_merchant_is_refused_not_failed(
    gateway_url: str, paytm_sim_control: SimControl, clock: FakeClock
) -> None:
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        gateway = PaytmGateway(http, mid="OTHERMID00000000001", merchant_key=PAYTM_KEY, website="WEBSTAGING")
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
        gateway = PaytmGateway(http, mid=PAYTM_MID, merchant_key="WrongKey12345678", website="WEBSTAGING")
        with pytest.raises(InvalidSignature):
            await gateway.fetch_status(query(clock))
