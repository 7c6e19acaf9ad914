"""Paytm notifications as they arrive over HTTP, verified by the adapter; and refunds end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest

from s2cart.adapters.payments.http import make_client
from s2cart.adapters.payments.paytm import PaytmGateway
from s2cart.application.errors import InvalidCallback, InvalidSignature
from s2cart.application.ports.payments import (
    InboundCallback,
    InitiateRequest,
    RefundRequest,
    RefundStatusQuery,
    StatusQuery,
)
from s2cart.domain.payments.facts import GatewayState
from s2cart.simulators.paytm import PaytmSimulator
from tests.fakes import FakeClock
from tests.integration.payments.conftest import Receiver, SimControl
from tests.integration.payments.vectors import PAYTM_KEY, PAYTM_MID

ORDER = "ORD_CALLBACK_1"
AMOUNT = Decimal("499.00")


async def initiated(paytm: PaytmGateway, receiver: Receiver) -> str:
    result = await paytm.initiate(InitiateRequest(ORDER, AMOUNT, "CUST_42", receiver.url(), "http://x/r"))
    assert result.token
    return result.token


@pytest.fixture
async def paytm_offline(clock: FakeClock) -> AsyncIterator[PaytmGateway]:
    """Verifying a callback needs no network: this one has nowhere to connect to."""
    async with make_client("http://127.0.0.1:9") as http:
        yield PaytmGateway(http, mid=PAYTM_MID, merchant_key=PAYTM_KEY, website="WEBSTAGING")


def delivered(receiver: Receiver, index: int = 0) -> InboundCallback:
    received = receiver.received[index]
    return InboundCallback(received["body"], received["headers"])


def rewritten(callback: InboundCallback, **changes: str | None) -> InboundCallback:
    fields = dict(parse_qsl(callback.body.decode(), keep_blank_values=True))
    for name, value in changes.items():
        if value is None:
            fields.pop(name)
        else:
            fields[name] = value
    return InboundCallback(urlencode(fields).encode(), callback.headers)


async def test_a_signed_callback_is_verified_and_read(
    paytm: PaytmGateway, paytm_sim_control: SimControl, receiver: Receiver
) -> None:
    await initiated(paytm, receiver)
    paid = await paytm_sim_control.pay(ORDER)
    notice = paytm.verify_callback(delivered(receiver))
    assert receiver.received[0]["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert (notice.gateway_order_id, notice.state, notice.amount_paise) == (ORDER, GatewayState.SUCCESS, 49900)
    assert (notice.transaction_id, notice.code, notice.merchant_id) == (paid["order"]["txn_id"], "01", PAYTM_MID)


async def test_the_customer_paying_on_the_payment_page_triggers_the_callback(
    paytm: PaytmGateway,
    paytm_sim: PaytmSimulator,
    paytm_sim_control: SimControl,
    gateway_url: str,
    receiver: Receiver,
) -> None:
    await paytm_sim_control.scenario(ORDER, outcome="failure")
    token = await initiated(paytm, receiver)
    async with httpx.AsyncClient(base_url=gateway_url) as browser:
        page = await browser.post(
            "/theia/api/v1/showPaymentPage",
            params={"mid": paytm_sim.mid, "orderId": ORDER},
            data={"mid": paytm_sim.mid, "orderId": ORDER, "txnToken": token},
        )
    assert page.status_code == 200
    assert f'action="{receiver.url()}"' in page.text  # the browser form-posts the same fields
    notice = paytm.verify_callback(delivered(receiver))
    assert (notice.state, notice.code) == (GatewayState.FAILURE, "227")


async def test_a_forged_signature_is_refused(
    paytm: PaytmGateway, paytm_sim_control: SimControl, receiver: Receiver
) -> None:
    await initiated(paytm, receiver)
    await paytm_sim_control.pay(ORDER, tamper_signature=True)
    with pytest.raises(InvalidSignature) as caught:
        paytm.verify_callback(delivered(receiver))
    assert caught.value.code == "PAY_401"


@pytest.mark.parametrize(
    "changes",
    [
        {"TXNAMOUNT": "1.00"},
        {"STATUS": "TXN_SUCCESS", "RESPCODE": "01", "ORDERID": "ORD_OTHER_1"},
        {"BANKNAME": None},  # dropping an empty field changes what was signed
        {"EXTRA": "added"},
        {"CHECKSUMHASH": None},
    ],
    ids=["amount", "order", "empty-field-dropped", "field-added", "no-checksum"],
)
async def test_a_tampered_callback_is_refused(
    paytm: PaytmGateway, paytm_sim_control: SimControl, receiver: Receiver, changes: dict[str, str | None]
) -> None:
    await initiated(paytm, receiver)
    await paytm_sim_control.pay(ORDER)
    genuine = delivered(receiver)
    assert paytm.verify_callback(genuine).state is GatewayState.SUCCESS
    with pytest.raises(InvalidSignature):
        paytm.verify_callback(rewritten(genuine, **changes))


async def test_a_signed_callback_for_another_merchant_reports_that_merchant(
    paytm: PaytmGateway, paytm_sim_control: SimControl, receiver: Receiver
) -> None:
    await initiated(paytm, receiver)
    await paytm_sim_control.pay(ORDER, wrong_mid=True)
    notice = paytm.verify_callback(delivered(receiver))
    assert notice.merchant_id and notice.merchant_id != paytm.merchant_id  # HandleGatewayCallback refuses it


@pytest.mark.parametrize("body", [b"", b"\xff\xfe", b"not a form", b"CHECKSUMHASH=abc"])
def test_garbage_is_refused_without_raising_anything_else(paytm_offline: PaytmGateway, body: bytes) -> None:
    with pytest.raises(InvalidCallback):
        paytm_offline.verify_callback(InboundCallback(body))


async def test_duplicate_and_resent_notifications_all_verify(
    paytm: PaytmGateway, paytm_sim_control: SimControl, receiver: Receiver
) -> None:
    await initiated(paytm, receiver)
    await paytm_sim_control.pay(ORDER, deliver="duplicate")
    await paytm_sim_control.notify(ORDER, receiver.url("webhook"))
    assert [r["path"] for r in receiver.received] == ["/callback", "/callback", "/webhook"]
    notices = [paytm.verify_callback(delivered(receiver, i)) for i in range(3)]
    assert {(n.gateway_order_id, n.state) for n in notices} == {(ORDER, GatewayState.SUCCESS)}


async def paid(paytm: PaytmGateway, control: SimControl, receiver: Receiver, clock: FakeClock) -> str:
    await initiated(paytm, receiver)
    await control.pay(ORDER, deliver="none")
    status = await paytm.fetch_status(StatusQuery(ORDER))
    assert status.state is GatewayState.SUCCESS
    assert status.transaction_id
    return status.transaction_id


async def test_a_refund_is_registered_then_completes(
    paytm: PaytmGateway, paytm_sim_control: SimControl, receiver: Receiver, clock: FakeClock
) -> None:
    txn_id = await paid(paytm, paytm_sim_control, receiver, clock)
    registered = await paytm.refund(RefundRequest("REF_1", ORDER, txn_id, Decimal("100.50"), "CUST_42"))
    assert (registered.state, registered.code) == (GatewayState.PENDING, "601")
    assert (registered.amount_paise, registered.gateway_order_id) == (10050, "REF_1")
    assert registered.transaction_id
    settled = await paytm.fetch_refund_status(RefundStatusQuery("REF_1", ORDER))
    assert (settled.state, settled.transaction_id) == (GatewayState.SUCCESS, registered.transaction_id)


async def test_refunding_more_than_was_paid_fails(
    paytm: PaytmGateway, paytm_sim_control: SimControl, receiver: Receiver, clock: FakeClock
) -> None:
    txn_id = await paid(paytm, paytm_sim_control, receiver, clock)
    result = await paytm.refund(RefundRequest("REF_1", ORDER, txn_id, Decimal("499.01"), "CUST_42"))
    assert (result.state, result.code) == (GatewayState.FAILURE, "619")


async def test_a_refund_whose_reply_is_lost_is_pending_and_sent_once(
    paytm: PaytmGateway, paytm_sim_control: SimControl, receiver: Receiver, clock: FakeClock
) -> None:
    txn_id = await paid(paytm, paytm_sim_control, receiver, clock)
    await paytm_sim_control.fault("refund", "timeout")
    result = await paytm.refund(RefundRequest("REF_1", ORDER, txn_id, AMOUNT, "CUST_42"))
    assert (result.state, result.code) == (GatewayState.UNKNOWN, "TIMEOUT")
    assert len(await paytm_sim_control.requests("refund")) == 1
    # The caller asks before asking again: the refund was registered after all.
    assert (await paytm.fetch_refund_status(RefundStatusQuery("REF_1", ORDER))).state is GatewayState.SUCCESS


async def test_an_unknown_refund_is_not_found(paytm: PaytmGateway) -> None:
    result = await paytm.fetch_refund_status(RefundStatusQuery("REF_NONE", ORDER))
    assert result.state is GatewayState.NOT_FOUND
