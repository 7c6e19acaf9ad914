"""PhonePe v2 webhooks and answers read by pure functions: the Authorization check first, then the body."""

from __future__ import annotations

import json
from typing import Any

import pytest

from s2cart.adapters.payments import phonepe_v2_replies as replies
from s2cart.adapters.payments.http import Reply
from s2cart.adapters.payments.phonepe_v2_webhook import MAX_BODY_BYTES, WebhookCredentials, read_webhook
from s2cart.application.errors import InvalidCallback, InvalidSignature
from s2cart.application.ports.payments import InboundCallback
from s2cart.domain.payments.facts import GatewayFacts, GatewayState
from s2cart.simulators import signing
from tests.integration.payments.vectors import PHONEPE_MERCHANT_ID, PHONEPE_V2_WEBHOOK_VECTOR

CREDENTIALS = WebhookCredentials("s2cart_hooks", "hookpass2026x")
GOOD = signing.webhook_authorization("s2cart_hooks", "hookpass2026x")


def body(event: str = "checkout.order.completed", **payload: Any) -> bytes:
    fields: dict[str, Any] = {
        "merchantId": PHONEPE_MERCHANT_ID,
        "merchantOrderId": "PP_42_1700000000",
        "orderId": "OMO2403282020198641",
        "state": "COMPLETED",
        "amount": 49900,
        "expireAt": 1724866793837,
        "paymentDetails": [
            {"transactionId": "OM_FAILED", "paymentMode": "UPI_COLLECT", "state": "FAILED", "amount": 49900},
            {"transactionId": "OM_PAID", "paymentMode": "UPI_INTENT", "state": "COMPLETED", "amount": 49900},
        ],
    }
    fields.update(payload)
    return json.dumps({"event": event, "payload": {k: v for k, v in fields.items() if v is not None}}).encode()


def read(callback: InboundCallback, named: bool = True) -> GatewayFacts:
    return read_webhook(callback, CREDENTIALS, PHONEPE_MERCHANT_ID, named)


def hook(content: bytes, authorization: str | None = GOOD) -> InboundCallback:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["authorization"] = authorization  # header names in any case
    return InboundCallback(content, headers)


def test_the_header_is_sha256_of_username_colon_password_as_phonepe_computes_it() -> None:
    username, password, header = PHONEPE_V2_WEBHOOK_VECTOR
    assert WebhookCredentials(username, password).authorization == header
    assert signing.webhook_authorization(username, password) == header  # the simulator's, written apart


def test_a_completed_order_webhook_is_a_success_claim_with_the_paying_attempt() -> None:
    notice = read(hook(body()))

    assert (notice.gateway, notice.gateway_order_id, notice.state) == (
        "PHONEPE",
        "PP_42_1700000000",
        GatewayState.SUCCESS,
    )
    assert (notice.amount_paise, notice.transaction_id, notice.merchant_id) == (49900, "OM_PAID", PHONEPE_MERCHANT_ID)


def test_a_failed_order_webhook_is_a_failure_claim() -> None:
    notice = read(hook(body("checkout.order.failed", state="FAILED")))
    assert notice.state is GatewayState.FAILURE


@pytest.mark.parametrize(
    "authorization",
    [None, "", GOOD.upper()[:-1] + "0", "Basic " + GOOD, signing.webhook_authorization("s2cart_hooks", "wrong")],
)
def test_a_wrong_authorization_is_refused_before_the_body_is_read(authorization: str | None) -> None:
    for content in (body(), b"{not json", b"x" * (MAX_BODY_BYTES + 1)):
        with pytest.raises(InvalidSignature):
            read(hook(content, authorization))


def test_the_header_is_compared_whatever_its_case() -> None:
    assert read(hook(body(), GOOD.upper())).state is GatewayState.SUCCESS


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[]",
        b'{"payload": {}}',
        json.dumps({"event": "checkout.order.completed"}).encode(),
        body(state="SETTLED"),  # a state PhonePe does not document
        body(state=None),
        body(merchantOrderId=None),
        body(amount=499.0),  # not whole paise
        body(amount=-1),
        body("subscription.setup.completed"),
        json.dumps({"event": "pg.refund.completed", "payload": {"state": "DONE"}}).encode(),
        b"[" * 100_000 + b"]" * 100_000,  # deep enough to exhaust the parser's recursion
    ],
)
def test_an_unreadable_webhook_with_the_right_authorization_is_a_400(content: bytes) -> None:
    with pytest.raises(InvalidCallback) as raised:
        read(hook(content[:MAX_BODY_BYTES]))
    assert not isinstance(raised.value, InvalidSignature)


def test_a_body_over_the_bound_is_refused_unread() -> None:
    padded = body(metaInfo={"udf1": "x" * MAX_BODY_BYTES})
    with pytest.raises(InvalidCallback, match="too large"):
        read(hook(padded))


def test_a_webhook_reports_the_merchant_it_names_when_s2cart_knows_its_own() -> None:
    claim = read(hook(body(merchantId="WRONGMERCHANT")))
    assert claim.merchant_id == "WRONGMERCHANT"  # reported as it is: the use case refuses another merchant's
    unnamed = read(hook(body(merchantId="WRONGMERCHANT")), named=False)
    assert unnamed.merchant_id == PHONEPE_MERCHANT_ID  # no merchant id configured: the Authorization vouches


def test_a_refund_event_claims_nothing_about_the_payment() -> None:
    refund = {"merchantRefundId": "RF_1", "originalMerchantOrderId": "PP_42", "refundId": "OMR1", "state": "COMPLETED"}
    content = json.dumps({"event": "pg.refund.completed", "payload": {**refund, "amount": 100}}).encode()

    notice = read(hook(content))

    assert (notice.gateway_order_id, notice.state, notice.amount_paise) == ("PP_42", GatewayState.UNKNOWN, None)


def test_order_facts_decide_on_the_root_state_not_on_an_attempt() -> None:
    document = json.loads(body(state="PENDING"))["payload"]
    asked = replies.Asked("PP_ASKED", PHONEPE_MERCHANT_ID)
    facts = replies.order_facts(document, asked)
    assert (facts.state, facts.transaction_id) == (GatewayState.PENDING, "OM_PAID")  # the latest attempt
    assert (facts.gateway_order_id, facts.merchant_id) == ("PP_ASKED", PHONEPE_MERCHANT_ID)  # what was asked

    failed = replies.order_facts(
        {**document, "state": "FAILED", "errorCode": "PAYMENT_ERROR", "paymentDetails": []}, asked
    )
    assert (failed.state, failed.transaction_id, failed.code) == (GatewayState.FAILURE, None, "PAYMENT_ERROR")


def test_pay_and_refund_answers() -> None:
    answer = {"orderId": "OMO1", "state": "PENDING", "expireAt": 1, "redirectUrl": "https://mercury/x"}
    pay = replies.pay_answer(Reply(200, json.dumps(answer)))
    assert (pay.state, pay.redirect_url) == (GatewayState.SUCCESS, "https://mercury/x")
    assert replies.pay_answer(Reply(200, '{"orderId": "OMO1", "state": "PENDING"}')).state is GatewayState.UNKNOWN
    refused = replies.pay_answer(Reply(400, '{"code": "BAD_REQUEST", "message": "no"}'))
    assert (refused.state, refused.code) == (GatewayState.FAILURE, "BAD_REQUEST")
    assert replies.pay_answer(Reply(429, "")).state is GatewayState.UNKNOWN
    confirmed = replies.refund_facts(
        {"refundId": "OMR1", "amount": 100, "state": "CONFIRMED"}, replies.Asked("RF", "M")
    )
    assert (confirmed.state, confirmed.amount_paise, confirmed.transaction_id) == (GatewayState.PENDING, 100, "OMR1")
    assert replies.is_not_found(404, None) and replies.is_not_found(400, {"code": "ORDER_NOT_FOUND"})
    assert not replies.is_not_found(400, {"code": "BAD_REQUEST"})
