"""PhonePeGateway.initiate and fetch_status against the PhonePe simulator."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest

from s2cart.adapters.payments.http import make_client
from s2cart.adapters.payments.phonepe import PhonePeGateway
from s2cart.application.errors import GatewayRejected, GatewayUnavailable
from s2cart.application.ports.payments import InitiateRequest, StatusQuery
from s2cart.domain.payments.facts import GatewayState
from tests.fakes import FakeClock
from tests.integration.payments.conftest import ADAPTER_TIMEOUT, SimControl
from tests.integration.payments.vectors import (
    P2_BASE64,
    P2_CALLBACK_URL,
    P2_REDIRECT_URL,
    P2_TXN,
    P2_X_VERIFY,
    P3_PATH,
    P3_X_VERIFY,
    PHONEPE_MERCHANT_ID,
)

AMOUNT = Decimal("1.15")  # the amount float arithmetic turns into 114 paise


def request(txn: str = P2_TXN, amount: Decimal = Decimal("499.00")) -> InitiateRequest:
    return InitiateRequest(txn, amount, "USER_7", P2_CALLBACK_URL, P2_REDIRECT_URL)


async def test_an_accepted_pay_request_returns_the_pay_page(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, gateway_url: str
) -> None:
    result = await phonepe.initiate(request())
    assert (result.state, result.code) == (GatewayState.SUCCESS, "PAYMENT_INITIATED")
    assert result.redirect_url is not None
    assert result.redirect_url.startswith(f"{gateway_url}/_sim/phonepe/pay/")
    assert (result.token, phonepe.merchant_id) == (None, PHONEPE_MERCHANT_ID)
    [sent] = await phonepe_sim_control.requests("initiate")
    # Byte for byte the protocol note's P2: payload, base64 and X-VERIFY.
    assert json.loads(sent["body"]) == {"request": P2_BASE64}
    assert sent["headers"]["x-verify"] == P2_X_VERIFY


async def test_paise_are_sent_exactly(phonepe: PhonePeGateway, phonepe_sim_control: SimControl) -> None:
    await phonepe.initiate(request("TXN_PAISE_1", AMOUNT))
    [sent] = await phonepe_sim_control.requests("initiate")
    assert '"amount":115,' in _decoded(sent["body"])


def _decoded(body: str) -> str:
    return base64.b64decode(json.loads(body)["request"]).decode()


async def test_a_payload_phonepe_refuses_fails_with_its_code(phonepe: PhonePeGateway) -> None:
    result = await phonepe.initiate(request(amount=Decimal("0.99")))  # under PhonePe's 100 paise minimum
    assert (result.state, result.code) == (GatewayState.FAILURE, "BAD_REQUEST")


async def test_a_wrong_salt_key_is_refused_as_authorization_failed(gateway_url: str, clock: FakeClock) -> None:
    async with make_client(gateway_url, ADAPTER_TIMEOUT) as http:
        gateway = PhonePeGateway(http, merchant_id=PHONEPE_MERCHANT_ID, salt_key="not-the-salt-key", salt_index=1)
        result = await gateway.initiate(request("TXN_WRONG_SALT"))
        with pytest.raises(GatewayRejected) as caught:
            await gateway.fetch_status(StatusQuery("TXN_WRONG_SALT"))
    assert (result.state, result.code) == (GatewayState.FAILURE, "AUTHORIZATION_FAILED")
    assert caught.value.gateway_code == "AUTHORIZATION_FAILED"


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("timeout", "TIMEOUT"), ("http_500", "HTTP_500"), ("malformed_json", "BAD_REPLY"), ("drop", "NETWORK")],
)
async def test_a_pay_request_without_a_readable_answer_stays_pending_and_is_sent_once(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, mode: str, reason: str
) -> None:
    await phonepe_sim_control.fault("initiate", mode)
    result = await phonepe.initiate(request())
    assert (result.state, result.code) == (GatewayState.UNKNOWN, reason)
    assert result.redirect_url is None
    assert len(await phonepe_sim_control.requests("initiate")) == 1


async def test_status_requests_are_signed_as_the_vector_says(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, clock: FakeClock
) -> None:
    await phonepe.initiate(request())
    result = await phonepe.fetch_status(StatusQuery(P2_TXN))
    [sent] = await phonepe_sim_control.requests("status")
    assert (sent["path"], sent["headers"]["x-verify"]) == (P3_PATH, P3_X_VERIFY)
    assert sent["headers"]["x-merchant-id"] == PHONEPE_MERCHANT_ID
    # Initiated, not yet paid: PhonePe reports the transaction pending.
    assert result.state is GatewayState.PENDING


@pytest.mark.parametrize(
    ("outcome", "state", "code"),
    [
        ("success", GatewayState.SUCCESS, "PAYMENT_SUCCESS"),
        ("failure", GatewayState.FAILURE, "PAYMENT_ERROR"),
        ("pending", GatewayState.PENDING, "PAYMENT_PENDING"),
    ],
)
async def test_each_outcome(
    phonepe: PhonePeGateway,
    phonepe_sim_control: SimControl,
    clock: FakeClock,
    outcome: str,
    state: GatewayState,
    code: str,
) -> None:
    await phonepe.initiate(request("TXN_OUTCOME_1", AMOUNT))
    await phonepe_sim_control.pay("TXN_OUTCOME_1", outcome=outcome, deliver="none")
    result = await phonepe.fetch_status(StatusQuery("TXN_OUTCOME_1"))
    assert (result.state, result.code) == (state, code)
    assert (result.amount_paise, result.merchant_id, result.gateway_order_id) == (
        115,
        PHONEPE_MERCHANT_ID,
        "TXN_OUTCOME_1",
    )


async def test_pending_then_failure_fails_on_a_later_poll(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, clock: FakeClock
) -> None:
    await phonepe.initiate(request())
    await phonepe_sim_control.pay(P2_TXN, outcome="pending_then_failure", pending_polls=2, deliver="none")
    query = StatusQuery(P2_TXN)
    states = [(await phonepe.fetch_status(query)).state for _ in range(3)]
    assert states == [GatewayState.PENDING, GatewayState.PENDING, GatewayState.FAILURE]


async def test_a_completed_payment_carries_its_transaction_and_instrument(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, clock: FakeClock
) -> None:
    await phonepe.initiate(request())
    paid = await phonepe_sim_control.pay(P2_TXN, deliver="none")
    result = await phonepe.fetch_status(StatusQuery(P2_TXN))
    assert (result.state, result.transaction_id, result.mode) == (
        GatewayState.SUCCESS,
        paid["order"]["txn_id"],
        "UPI",
    )


@pytest.mark.parametrize("twist", [{"amount_override": "4.99"}, {"wrong_mid": True}], ids=["amount", "merchant"])
async def test_a_success_for_another_amount_or_merchant_is_reported_as_the_gateway_said_it(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, clock: FakeClock, twist: dict[str, object]
) -> None:
    await phonepe.initiate(request())
    await phonepe_sim_control.pay(P2_TXN, deliver="none", **twist)
    result = await phonepe.fetch_status(StatusQuery(P2_TXN))
    assert result.state is GatewayState.SUCCESS  # the Payment judges it (AMOUNT_MISMATCH), not the adapter
    reported = (result.amount_paise, result.merchant_id == PHONEPE_MERCHANT_ID)
    assert reported == ((499, True) if "amount_override" in twist else (49900, False))


async def test_an_unknown_transaction_is_reported_as_no_record(phonepe: PhonePeGateway) -> None:
    result = await phonepe.fetch_status(StatusQuery("TXN_NEVER_MADE"))
    assert (result.state, result.code) == (GatewayState.NOT_FOUND, "TRANSACTION_NOT_FOUND")


async def test_a_status_timeout_is_retried_once_then_unavailable(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, clock: FakeClock
) -> None:
    await phonepe.initiate(request())
    await phonepe_sim_control.pay(P2_TXN, deliver="none")
    query = StatusQuery(P2_TXN)
    await phonepe_sim_control.fault("status", "timeout", count=1)
    assert (await phonepe.fetch_status(query)).state is GatewayState.SUCCESS
    await phonepe_sim_control.fault("status", "http_500", count=2)
    with pytest.raises(GatewayUnavailable) as caught:
        await phonepe.fetch_status(query)
    assert caught.value.detail == "HTTP_500"
    assert len(await phonepe_sim_control.requests("status")) == 4
