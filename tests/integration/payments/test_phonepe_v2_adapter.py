"""PhonePeV2Gateway against the simulator's v2 side: the token, pay, status, refund (docs/payments-phonepe-v2.md)."""

from __future__ import annotations

import asyncio
import json
import logging
from decimal import Decimal

import httpx
import pytest

from s2cart.adapters.payments.http import make_client
from s2cart.adapters.payments.phonepe_v2 import PhonePeV2Gateway
from s2cart.application.errors import GatewayRejected, GatewayUnavailable
from s2cart.application.ports.payments import (
    InitiateRequest,
    RefundRequest,
    RefundStatusQuery,
    StatusQuery,
)
from s2cart.domain.payments.facts import GatewayState
from tests.fakes import FakeClock
from tests.integration.payments.conftest import ADAPTER_TIMEOUT, PHONEPE_V2_CREDENTIALS, SimControl
from tests.integration.payments.vectors import PHONEPE_MERCHANT_ID, PHONEPE_V2_CLIENT_SECRET

AMOUNT = Decimal("499.00")
RETURN_URL = "http://127.0.0.1:8000/api/auth/payments/return/"


def pay_request(order_id: str, amount: Decimal = AMOUNT) -> InitiateRequest:
    return InitiateRequest(order_id, amount, "USER_7", "http://unused.invalid/callback", RETURN_URL)


async def started(gateway: PhonePeV2Gateway, order_id: str, amount: Decimal = AMOUNT) -> str:
    result = await gateway.initiate(pay_request(order_id, amount))
    assert result.state is GatewayState.SUCCESS, result
    return order_id


def query(order_id: str) -> StatusQuery:
    return StatusQuery(order_id)


async def test_pay_sends_paise_and_the_checkout_flow_and_returns_the_pay_page(
    phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl
) -> None:
    result = await phonepe_v2.initiate(pay_request("PP_42_1700000000", Decimal("1.15")))

    assert (result.state, result.code) == (GatewayState.SUCCESS, "PENDING")
    assert result.redirect_url and "/_sim/phonepe/pay/" in result.redirect_url
    [pay] = await phonepe_sim_control.requests("initiate")
    assert pay["path"] == "/checkout/v2/pay"
    assert json.loads(pay["body"]) == {
        "merchantOrderId": "PP_42_1700000000",
        "amount": 115,  # not 114: Decimal all the way
        "expireAfter": 1200,
        "paymentFlow": {"type": "PG_CHECKOUT", "merchantUrls": {"redirectUrl": RETURN_URL}},
    }


async def test_one_token_serves_many_calls(phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl) -> None:
    order_id = await started(phonepe_v2, "PP_1")
    for _ in range(3):
        await phonepe_v2.fetch_status(query(order_id))

    [token] = await phonepe_sim_control.requests("token")
    assert token["path"] == "/v1/oauth/token"
    assert dict(httpx.QueryParams(token["body"])) == {
        "client_id": PHONEPE_V2_CREDENTIALS["client_id"],
        "client_version": "1",
        "client_secret": PHONEPE_V2_CLIENT_SECRET,
        "grant_type": "client_credentials",
    }
    assert len(await phonepe_sim_control.requests("status")) == 3


async def test_twenty_concurrent_calls_with_an_expired_token_fetch_exactly_one(
    phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl, clock: FakeClock
) -> None:
    order_id = await started(phonepe_v2, "PP_2")
    assert len(await phonepe_sim_control.requests("token")) == 1
    clock.advance(minutes=55)  # the simulator's tokens live an hour: renewed 5 minutes before

    results = await asyncio.gather(*(phonepe_v2.fetch_status(query(order_id)) for _ in range(20)))

    assert {r.state for r in results} == {GatewayState.PENDING}
    assert len(await phonepe_sim_control.requests("token")) == 2  # the first one, and one renewal
    assert phonepe_v2.tokens.fetches == 2


async def test_twenty_concurrent_first_calls_fetch_exactly_one_token(
    phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl, clock: FakeClock
) -> None:
    results = await asyncio.gather(*(phonepe_v2.fetch_status(query(f"PP_NONE_{i}")) for i in range(20)))

    assert {r.state for r in results} == {GatewayState.NOT_FOUND}
    assert len(await phonepe_sim_control.requests("token")) == 1


async def test_a_token_phonepe_refuses_is_replaced_once_and_the_call_goes_again(
    phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl, control_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    order_id = await started(phonepe_v2, "PP_3")
    assert (await control_client.post("/_sim/phonepe/v2/revoke-tokens")).status_code == 200

    result = await phonepe_v2.fetch_status(query(order_id))

    assert result.state is GatewayState.PENDING
    assert len(await phonepe_sim_control.requests("token")) == 2
    assert len(await phonepe_sim_control.requests("status")) == 2  # refused, then answered


async def test_wrong_client_credentials_are_a_rejection_not_an_outage(
    gateway_url: str, clock: FakeClock, control_client: httpx.AsyncClient
) -> None:
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        gateway = PhonePeV2Gateway(http, clock=clock, **{**PHONEPE_V2_CREDENTIALS, "client_secret": "wrong-secret"})
        result = await gateway.initiate(pay_request("PP_4"))
        assert (result.state, result.code) == (GatewayState.FAILURE, "INVALID_CLIENT")  # PhonePe's own code
        with pytest.raises(GatewayRejected):
            await gateway.fetch_status(query("PP_4"))


async def test_a_token_endpoint_outage_is_unavailable_and_pay_is_never_sent(
    phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl, clock: FakeClock
) -> None:
    await phonepe_sim_control.fault("token", "http_500", count=5)

    result = await phonepe_v2.initiate(pay_request("PP_5"))

    assert (result.state, result.code) == (GatewayState.UNKNOWN, "TOKEN_UNAVAILABLE")
    assert await phonepe_sim_control.requests("initiate") == []
    with pytest.raises(GatewayUnavailable):
        await phonepe_v2.fetch_status(query("PP_5"))


@pytest.mark.parametrize(
    ("outcome", "state"),
    [("success", GatewayState.SUCCESS), ("failure", GatewayState.FAILURE), ("pending", GatewayState.PENDING)],
)
async def test_status_reads_the_root_state(
    phonepe_v2: PhonePeV2Gateway,
    phonepe_sim_control: SimControl,
    clock: FakeClock,
    outcome: str,
    state: GatewayState,
) -> None:
    order_id = await started(phonepe_v2, "PP_6")
    paid = await phonepe_sim_control.pay(order_id, outcome=outcome, deliver="none")

    result = await phonepe_v2.fetch_status(query(order_id))

    # The answer names neither S2Cart's order nor the merchant: the facts say what was asked, as whom.
    assert (result.state, result.gateway_order_id, result.merchant_id) == (state, order_id, PHONEPE_MERCHANT_ID)
    assert (result.amount_paise, result.transaction_id, result.mode) == (49900, paid["order"]["txn_id"], "UPI_INTENT")
    [read] = await phonepe_sim_control.requests("status")
    assert read["path"] == f"/checkout/v2/order/{order_id}/status"


async def test_a_success_for_another_amount_is_reported_as_it_is(  # the Payment judges it
    phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl, clock: FakeClock
) -> None:
    order_id = await started(phonepe_v2, "PP_7")
    await phonepe_sim_control.pay(order_id, amount_override="1.00", deliver="none")

    result = await phonepe_v2.fetch_status(query(order_id))

    assert (result.state, result.amount_paise) == (GatewayState.SUCCESS, 100)


async def test_an_unreadable_status_is_unavailable_after_one_more_try(
    phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl, clock: FakeClock
) -> None:
    order_id = await started(phonepe_v2, "PP_8")
    await phonepe_sim_control.fault("status", "malformed_json", count=2)

    with pytest.raises(GatewayUnavailable):
        await phonepe_v2.fetch_status(query(order_id))
    assert len(await phonepe_sim_control.requests("status")) == 2


async def test_refund_then_refund_status(phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl) -> None:
    order_id = await started(phonepe_v2, "PP_9")
    await phonepe_sim_control.pay(order_id, deliver="none")

    asked = await phonepe_v2.refund(RefundRequest("RF_9", order_id, "unused", Decimal("100.00"), "USER_7"))
    settled = await phonepe_v2.fetch_refund_status(RefundStatusQuery("RF_9", order_id))
    unknown = await phonepe_v2.fetch_refund_status(RefundStatusQuery("RF_NONE", order_id))
    too_much = await phonepe_v2.refund(RefundRequest("RF_10", order_id, "unused", AMOUNT, "USER_7"))

    assert (asked.state, asked.amount_paise, asked.gateway_order_id) == (GatewayState.PENDING, 10000, "RF_9")
    assert asked.transaction_id and asked.transaction_id.startswith("OMR")
    assert (settled.state, settled.transaction_id) == (GatewayState.SUCCESS, asked.transaction_id)
    assert unknown.state is GatewayState.NOT_FOUND
    assert (too_much.state, too_much.code) == (GatewayState.FAILURE, "INVALID_REFUND_AMOUNT")
    refund = (await phonepe_sim_control.requests("refund"))[0]
    assert json.loads(refund["body"]) == {
        "merchantRefundId": "RF_9",
        "originalMerchantOrderId": order_id,
        "amount": 10000,
    }
    assert (await phonepe_sim_control.requests("refund_status"))[0]["path"] == "/payments/v2/refund/RF_9/status"


async def test_a_refund_whose_answer_is_lost_is_unknown(
    phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl
) -> None:
    order_id = await started(phonepe_v2, "PP_11")
    await phonepe_sim_control.pay(order_id, deliver="none")
    await phonepe_sim_control.fault("refund", "timeout")

    asked = await phonepe_v2.refund(RefundRequest("RF_11", order_id, "unused", AMOUNT, "USER_7"))

    assert (asked.state, asked.code) == (GatewayState.UNKNOWN, "TIMEOUT")


async def test_the_token_and_the_client_secret_reach_no_log_line_and_no_repr(
    phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    order_id = await started(phonepe_v2, "PP_12")
    await phonepe_sim_control.pay(order_id, deliver="none")
    await phonepe_v2.fetch_status(query(order_id))
    await phonepe_v2.refund(RefundRequest("RF_12", order_id, "unused", AMOUNT, "USER_7"))
    token = (await phonepe_v2.tokens.header()).split(" ", 1)[1]

    assert len(token) > 20 and any(r.name.startswith("s2cart.payments") for r in caplog.records)
    texts = [r.getMessage() for r in caplog.records] + [repr(phonepe_v2), repr(phonepe_v2.tokens)]
    texts += [repr(vars(phonepe_v2)), repr(vars(phonepe_v2.tokens))]
    for text in texts:
        assert token not in text and PHONEPE_V2_CLIENT_SECRET not in text, text[:200]


async def test_a_call_cancelled_while_fetching_the_token_leaves_the_next_call_working(
    phonepe_v2: PhonePeV2Gateway, phonepe_sim_control: SimControl
) -> None:
    await phonepe_sim_control.fault("token", "timeout")  # the token answer is held past the caller's patience

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(phonepe_v2.fetch_status(query("PP_13")), timeout=0.1)  # a request's deadline

    result = await phonepe_v2.fetch_status(query("PP_13"))
    assert result.state is GatewayState.NOT_FOUND  # the lock was released and a token fetched
    assert phonepe_v2.tokens.fetches == 2
