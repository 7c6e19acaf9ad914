"""PhonePe v2 webhooks and answers read by pure functions: the Authorization check first, then the body."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from s2cart.adapters.payments import phonepe_v2_replies as replies
from s2cart.adapters.payments.phonepe_v2_webhook import MAX_BODY_BYTES, WebhookCredentials, read_webhook
from s2cart.adapters.payments.simulators import signing
from s2cart.application.errors import InvalidCallback, InvalidSignature
from s2cart.application.ports.payments import InboundCallback
from s2cart.domain.payments.status import GatewaySignal
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
    notice = read_webhook(hook(body()), CREDENTIALS, PHONEPE_MERCHANT_ID)

    assert (notice.gateway, notice.gateway_order_id, notice.claimed) == (
        "PHONEPE",
        "PP_42_1700000000",
        GatewaySignal.SUCCESS,
    )
    assert (notice.amount, notice.gateway_txn_id) == (Decimal("499.00"), "OM_PAID")


def test_a_failed_order_webhook_is_a_failure_claim() -> None:
    notice = read_webhook(hook(body("checkout.order.failed", state="FAILED")), CREDENTIALS)
    assert notice.claimed is GatewaySignal.FAILURE


@pytest.mark.parametrize(
    "authorization",
    [None, "", GOOD.upper()[:-1] + "0", "Basic " + GOOD, signing.webhook_authorization("s2cart_hooks", "wrong")],
)
def test_a_wrong_authorization_is_refused_before_the_body_is_read(authorization: str | None) -> None:
    for content in (body(), b"{not json", b"x" * (MAX_BODY_BYTES + 1)):
        with pytest.raises(InvalidSignature):
            read_webhook(hook(content, authorization), CREDENTIALS)


def test_the_header_is_compared_whatever_its_case() -> None:
    assert read_webhook(hook(body(), GOOD.upper()), CREDENTIALS).claimed is GatewaySignal.SUCCESS


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
        read_webhook(hook(content[:MAX_BODY_BYTES]), CREDENTIALS)
    assert not isinstance(raised.value, InvalidSignature)


def test_a_body_over_the_bound_is_refused_unread() -> None:
    padded = body(metaInfo={"udf1": "x" * MAX_BODY_BYTES})
    with pytest.raises(InvalidCallback, match="too large"):
        read_webhook(hook(padded), CREDENTIALS)


def test_a_webhook_naming_another_merchant_is_refused() -> None:
    with pytest.raises(InvalidCallback, match="another merchant"):
        read_webhook(hook(body(merchantId="WRONGMERCHANT")), CREDENTIALS, PHONEPE_MERCHANT_ID)


def test_a_refund_event_claims_nothing_about_the_payment() -> None:
    refund = {"merchantRefundId": "RF_1", "originalMerchantOrderId": "PP_42", "refundId": "OMR1", "state": "COMPLETED"}
    content = json.dumps({"event": "pg.refund.completed", "payload": {**refund, "amount": 100}}).encode()

    notice = read_webhook(hook(content), CREDENTIALS)

    assert (notice.gateway_order_id, notice.claimed, notice.amount) == ("PP_42", GatewaySignal.UNKNOWN, None)


def test_order_facts_decide_on_the_root_state_not_on_an_attempt() -> None:
    document = json.loads(body(state="PENDING"))["payload"]
    facts = replies.order_facts(document)
    assert (facts.signal, facts.transaction_id) == (GatewaySignal.PENDING, "OM_PAID")  # the latest attempt

    failed = replies.order_facts({**document, "state": "FAILED", "errorCode": "PAYMENT_ERROR", "paymentDetails": []})
    assert (failed.signal, failed.transaction_id, failed.error_code) == (GatewaySignal.FAILURE, None, "PAYMENT_ERROR")


def test_pay_and_refund_answers() -> None:
    pay = replies.pay_facts({"orderId": "OMO1", "state": "PENDING", "expireAt": 1, "redirectUrl": "https://mercury/x"})
    assert (pay.phonepe_order_id, pay.redirect_url) == ("OMO1", "https://mercury/x")
    with pytest.raises(replies.Unreadable):
        replies.pay_facts({"orderId": "OMO1", "state": "PENDING"})
    confirmed = replies.refund_facts({"refundId": "OMR1", "amount": 100, "state": "CONFIRMED"})
    assert (confirmed.signal, confirmed.amount) == (GatewaySignal.PENDING, Decimal("1.00"))
    assert replies.is_not_found(404, None) and replies.is_not_found(400, {"code": "ORDER_NOT_FOUND"})
    assert not replies.is_not_found(400, {"code": "BAD_REQUEST"})
