"""PhonePe S2S callbacks as they arrive over HTTP, verified by the adapter; the pay page; and refunds."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

from s2cart.adapters.payments import phonepe_signature
from s2cart.adapters.payments.http import make_client
from s2cart.adapters.payments.phonepe import PhonePeGateway
from s2cart.application.errors import InvalidCallback, InvalidSignature
from s2cart.application.ports.payments import (
    InboundCallback,
    InitiateRequest,
    RefundRequest,
    RefundStatusQuery,
    StatusQuery,
)
from s2cart.domain.payments.facts import GatewayState
from tests.fakes import FakeClock
from tests.integration.payments.conftest import Receiver, SimControl
from tests.integration.payments.vectors import (
    P4_RESPONSE,
    P4_X_VERIFY,
    PHONEPE_MERCHANT_ID,
    PHONEPE_SALT_INDEX,
    PHONEPE_SALT_KEY,
)

TXN = "TXN_CALLBACK_1"
AMOUNT = Decimal("1.15")


@pytest.fixture
async def phonepe_offline(clock: FakeClock) -> AsyncIterator[PhonePeGateway]:
    async with make_client("http://127.0.0.1:9") as http:
        yield PhonePeGateway(http, merchant_id=PHONEPE_MERCHANT_ID, salt_key=PHONEPE_SALT_KEY, salt_index=1)


async def initiated(phonepe: PhonePeGateway, receiver: Receiver) -> str:
    result = await phonepe.initiate(InitiateRequest(TXN, AMOUNT, "USER_7", receiver.url(), receiver.url("back")))
    assert result.redirect_url
    return result.redirect_url


def delivered(receiver: Receiver, index: int = 0) -> InboundCallback:
    return InboundCallback(receiver.received[index]["body"], receiver.received[index]["headers"])


def test_the_vector_callback_verifies(phonepe_offline: PhonePeGateway) -> None:
    body = json.dumps({"response": P4_RESPONSE}).encode()
    notice = phonepe_offline.verify_callback(InboundCallback(body, {"X-Verify": P4_X_VERIFY}))
    assert (notice.gateway_order_id, notice.state, notice.amount_paise, notice.merchant_id) == (
        "TXN_42_1700000000",
        GatewayState.SUCCESS,
        49900,
        "PGTESTPAYUAT",
    )
    assert (notice.transaction_id, notice.code, notice.mode) == ("T2401151030001234567890", "PAYMENT_SUCCESS", "UPI")


async def test_a_delivered_callback_is_verified_and_read(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, receiver: Receiver
) -> None:
    await initiated(phonepe, receiver)
    await phonepe_sim_control.pay(TXN, outcome="failure")
    notice = phonepe.verify_callback(delivered(receiver))
    assert (notice.gateway_order_id, notice.state, notice.amount_paise) == (TXN, GatewayState.FAILURE, 115)


async def test_the_customer_paying_on_the_pay_page_triggers_the_callback_and_returns_home(
    phonepe: PhonePeGateway, receiver: Receiver, control_client: httpx.AsyncClient
) -> None:
    pay_page = await initiated(phonepe, receiver)
    async with httpx.AsyncClient() as browser:
        page = await browser.get(pay_page)
    assert page.status_code == 200  # redirectMode POST: an auto-submitting form back to S2Cart
    assert f'action="{receiver.url("back")}"' in page.text
    assert 'name="code" value="PAYMENT_SUCCESS"' in page.text
    assert phonepe.verify_callback(delivered(receiver)).state is GatewayState.SUCCESS


async def test_a_forged_signature_is_refused(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, receiver: Receiver
) -> None:
    await initiated(phonepe, receiver)
    await phonepe_sim_control.pay(TXN, tamper_signature=True)
    with pytest.raises(InvalidSignature):
        phonepe.verify_callback(delivered(receiver))


def tampered_response(callback: InboundCallback, **data: object) -> InboundCallback:
    document = json.loads(base64.b64decode(json.loads(callback.body)["response"]))
    document["data"].update(data)
    response = base64.b64encode(json.dumps(document).encode()).decode()
    return InboundCallback(json.dumps({"response": response}).encode(), callback.headers)


async def test_a_tampered_callback_is_refused(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, receiver: Receiver
) -> None:
    await initiated(phonepe, receiver)
    await phonepe_sim_control.pay(TXN)
    genuine = delivered(receiver)
    assert phonepe.verify_callback(genuine).amount_paise == 115
    with pytest.raises(InvalidSignature):
        phonepe.verify_callback(tampered_response(genuine, amount=1))
    with pytest.raises(InvalidSignature):
        phonepe.verify_callback(InboundCallback(genuine.body, {}))  # no X-VERIFY at all


def test_a_callback_signed_with_our_key_for_another_merchant_reports_that_merchant(
    phonepe_offline: PhonePeGateway,
) -> None:
    document = {
        "success": True,
        "code": "PAYMENT_SUCCESS",
        "data": {"merchantId": "OTHER", "merchantTransactionId": TXN, "amount": 100},
    }
    response = base64.b64encode(json.dumps(document).encode()).decode()
    header = phonepe_signature.sign(response, PHONEPE_SALT_KEY, PHONEPE_SALT_INDEX)
    claim = phonepe_offline.verify_callback(
        InboundCallback(json.dumps({"response": response}).encode(), {"x-verify": header})
    )
    assert claim.merchant_id == "OTHER" != phonepe_offline.merchant_id  # HandleGatewayCallback refuses it


@pytest.mark.parametrize("body", [b"", b"[]", b'{"response": 5}', b"\xff", b'{"response": "!!"}'])
def test_garbage_is_refused_as_an_invalid_callback(phonepe_offline: PhonePeGateway, body: bytes) -> None:
    with pytest.raises(InvalidCallback):
        phonepe_offline.verify_callback(InboundCallback(body, {"X-VERIFY": P4_X_VERIFY}))


async def paid(phonepe: PhonePeGateway, control: SimControl, receiver: Receiver, clock: FakeClock) -> str:
    await initiated(phonepe, receiver)
    await control.pay(TXN, deliver="none")
    status = await phonepe.fetch_status(StatusQuery(TXN))
    assert status.state is GatewayState.SUCCESS
    assert status.transaction_id
    return status.transaction_id


async def test_a_refund_is_registered_then_completes(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, receiver: Receiver, clock: FakeClock
) -> None:
    txn_id = await paid(phonepe, phonepe_sim_control, receiver, clock)
    registered = await phonepe.refund(RefundRequest("REF_TXN_1", TXN, txn_id, AMOUNT, "USER_7"))
    assert registered.state is GatewayState.PENDING
    [sent] = await phonepe_sim_control.requests("refund")
    payload = json.loads(base64.b64decode(json.loads(sent["body"])["request"]))
    assert (payload["originalTransactionId"], payload["amount"]) == (TXN, 115)
    settled = await phonepe.fetch_refund_status(RefundStatusQuery("REF_TXN_1", TXN))
    assert (settled.state, settled.code) == (GatewayState.SUCCESS, "PAYMENT_SUCCESS")


@pytest.mark.parametrize(
    ("refund_outcome", "expected"), [("failure", GatewayState.FAILURE), ("pending", GatewayState.PENDING)]
)
async def test_a_refund_can_end_badly_or_stay_pending(
    phonepe: PhonePeGateway,
    phonepe_sim_control: SimControl,
    receiver: Receiver,
    clock: FakeClock,
    refund_outcome: str,
    expected: GatewayState,
) -> None:
    txn_id = await paid(phonepe, phonepe_sim_control, receiver, clock)
    await phonepe_sim_control.scenario(TXN, refund_outcome=refund_outcome)
    await phonepe.refund(RefundRequest("REF_TXN_1", TXN, txn_id, AMOUNT, "USER_7"))
    assert (await phonepe.fetch_refund_status(RefundStatusQuery("REF_TXN_1", TXN))).state is expected


async def test_refunding_more_than_was_paid_fails(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, receiver: Receiver, clock: FakeClock
) -> None:
    txn_id = await paid(phonepe, phonepe_sim_control, receiver, clock)
    result = await phonepe.refund(RefundRequest("REF_TXN_1", TXN, txn_id, Decimal("1.16"), "USER_7"))
    assert (result.state, result.code) == (GatewayState.FAILURE, "PAYMENT_ERROR")


async def test_refunding_an_unknown_transaction_fails(phonepe: PhonePeGateway) -> None:
    result = await phonepe.refund(RefundRequest("REF_TXN_1", "TXN_UNKNOWN", "T1", AMOUNT, "USER_7"))
    assert (result.state, result.code) == (GatewayState.FAILURE, "TRANSACTION_NOT_FOUND")


@pytest.mark.parametrize("mode", ["timeout", "http_500", "malformed_json"])
async def test_a_refund_whose_reply_is_lost_is_pending_and_sent_once(
    phonepe: PhonePeGateway, phonepe_sim_control: SimControl, receiver: Receiver, clock: FakeClock, mode: str
) -> None:
    txn_id = await paid(phonepe, phonepe_sim_control, receiver, clock)
    await phonepe_sim_control.fault("refund", mode)
    result = await phonepe.refund(RefundRequest("REF_TXN_1", TXN, txn_id, AMOUNT, "USER_7"))
    assert result.state is GatewayState.UNKNOWN
    assert len(await phonepe_sim_control.requests("refund")) == 1
