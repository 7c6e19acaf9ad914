"""PaytmGateway.initiate against the Paytm simulator: accepted, rejected, and every way of not knowing."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from s2cart.adapters.payments.http import make_client
from s2cart.adapters.payments.paytm import PaytmGateway
from s2cart.application.ports.payments import InitiateRequest
from s2cart.domain.payments.facts import GatewayState
from s2cart.simulators.paytm import PaytmSimulator
from tests.fakes import FakeClock
from tests.integration.payments.conftest import ADAPTER_TIMEOUT, SimControl
from tests.integration.payments.vectors import PAYTM_KEY, PAYTM_MID, PAYTM_ORDER, V3_CALLBACK_URL, V3_STRING


def request(order_id: str = PAYTM_ORDER, amount: str = "499.00") -> InitiateRequest:
    return InitiateRequest(
        gateway_order_id=order_id,
        amount=Decimal(amount),
        customer_id="CUST_42",
        callback_url=V3_CALLBACK_URL,
        redirect_url="http://127.0.0.1:8000/unused-by-paytm",
    )


async def test_an_accepted_initiate_returns_the_token_for_the_client(
    paytm: PaytmGateway, paytm_sim: PaytmSimulator, paytm_sim_control: SimControl
) -> None:
    result = await paytm.initiate(request())
    assert result.state is GatewayState.SUCCESS
    assert result.token == paytm_sim.ledger.orders[PAYTM_ORDER].token
    assert (paytm.merchant_id, result.code) == (PAYTM_MID, "0000")
    [sent] = await paytm_sim_control.requests("initiate")
    assert sent["path"] == "/theia/api/v1/initiateTransaction"
    assert sent["query"] == {"mid": PAYTM_MID, "orderId": PAYTM_ORDER}
    # The body is the protocol note's V3 text byte for byte, and the signature is over exactly that text.
    assert sent["body"].startswith('{"body":' + V3_STRING + ',"head":{"signature":"')
    assert "CUST_42" in json.loads(sent["body"])["body"]["userInfo"]["custId"]


async def test_initiating_the_same_order_again_returns_the_same_token(paytm: PaytmGateway) -> None:
    first = await paytm.initiate(request())
    again = await paytm.initiate(request())
    assert again.state is GatewayState.SUCCESS
    assert (again.token, again.code) == (first.token, "0002")


async def test_reusing_an_order_id_with_another_amount_is_rejected_and_fails(paytm: PaytmGateway) -> None:
    await paytm.initiate(request())
    result = await paytm.initiate(request(amount="1.15"))
    assert result.state is GatewayState.FAILURE
    assert (result.token, result.code, result.message) == (None, "325", "Duplicate Order Id")


async def test_a_website_paytm_does_not_know_is_rejected(gateway_url: str, clock: FakeClock) -> None:
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        gateway = PaytmGateway(http, mid=PAYTM_MID, merchant_key=PAYTM_KEY, website="DEFAULT")
        result = await gateway.initiate(request("ORD_WEBSITE_1"))
    assert (result.state, result.code) == (GatewayState.FAILURE, "1001")


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("timeout", "TIMEOUT"), ("http_500", "HTTP_500"), ("malformed_json", "BAD_REPLY"), ("drop", "NETWORK")],
)
async def test_an_initiate_without_a_readable_answer_stays_pending_and_is_sent_once(
    paytm: PaytmGateway, paytm_sim_control: SimControl, mode: str, reason: str
) -> None:
    await paytm_sim_control.fault("initiate", mode)
    result = await paytm.initiate(request())
    assert result.state is GatewayState.UNKNOWN
    assert (result.token, result.code) == (None, reason)
    assert len(await paytm_sim_control.requests("initiate")) == 1  # a write is never retried


async def test_after_an_initiate_timeout_reinitiating_recovers_the_token(
    paytm: PaytmGateway, paytm_sim: PaytmSimulator, paytm_sim_control: SimControl
) -> None:
    await paytm_sim_control.fault("initiate", "timeout")
    lost = await paytm.initiate(request())
    recovered = await paytm.initiate(request())
    assert lost.state is GatewayState.UNKNOWN
    assert (recovered.state, recovered.code) == (GatewayState.SUCCESS, "0002")
    assert recovered.token == paytm_sim.ledger.orders[PAYTM_ORDER].token


async def test_a_reply_signed_with_another_key_is_not_believed(gateway_url: str, clock: FakeClock) -> None:
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        gateway = PaytmGateway(http, mid=PAYTM_MID, merchant_key="WrongKey12345678", website="WEBSTAGING")
        result = await gateway.initiate(request("ORD_WRONG_KEY"))
    assert (result.state, result.code) == (GatewayState.UNKNOWN, "BAD_SIGNATURE")


async def test_an_unreachable_gateway_is_an_unknown_outcome(clock: FakeClock) -> None:
    async with make_client("http://127.0.0.1:9", httpx.Timeout(0.5)) as http:
        gateway = PaytmGateway(http, mid=PAYTM_MID, merchant_key=PAYTM_KEY, website="WEBSTAGING")
        result = await gateway.initiate(request())
    assert (result.state, result.code) == (GatewayState.UNKNOWN, "NETWORK")
