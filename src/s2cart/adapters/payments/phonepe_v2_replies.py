"""Reading PhonePe Standard Checkout v2: pure functions from what PhonePe sent to gateway-neutral facts.

No I/O and no S2Cart rules here (amount checks and expiry belong to the caller): every function takes the
parsed document and says what PhonePe reported, or raises ``Unreadable``. Field names and states are those of
``docs/payments-phonepe-v2.md``; unknown fields are ignored, as PhonePe asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from s2cart.adapters.payments.http import text_of
from s2cart.domain.payments.amounts import from_paise
from s2cart.domain.payments.status import GatewaySignal

ORDER_STATES: Mapping[str, GatewaySignal] = {
    "COMPLETED": GatewaySignal.SUCCESS,
    "FAILED": GatewaySignal.FAILURE,
    "PENDING": GatewaySignal.PENDING,
}
# CONFIRMED: PhonePe accepted the refund but has not paid it out yet.
REFUND_STATES: Mapping[str, GatewaySignal] = {
    "COMPLETED": GatewaySignal.SUCCESS,
    "FAILED": GatewaySignal.FAILURE,
    "PENDING": GatewaySignal.PENDING,
    "CONFIRMED": GatewaySignal.PENDING,
}
ORDER_EVENTS = frozenset({"checkout.order.completed", "checkout.order.failed", "checkout.transaction.attempt.failed"})
REFUND_EVENT_PREFIX = "pg.refund."
# Error codes under which PhonePe says "no such order/refund" on a 400 (a 404 says it by itself).
NOT_FOUND_CODES = frozenset({"ORDER_NOT_FOUND", "REFUND_NOT_FOUND", "INVALID_MERCHANT_ORDER_ID", "NOT_FOUND"})


class Unreadable(ValueError):
    """The document is not what the protocol promises; the message is safe to log."""


@dataclass(frozen=True)
class OrderFacts:
    """What PhonePe reported about one checkout order (status answer or webhook payload)."""

    signal: GatewaySignal
    state: str
    amount: Decimal | None
    merchant_order_id: str | None  # the webhook names it; the status answer does not (it is in the path)
    merchant_id: str | None
    phonepe_order_id: str | None
    transaction_id: str | None
    payment_mode: str | None
    error_code: str | None


@dataclass(frozen=True)
class RefundFacts:
    signal: GatewaySignal
    state: str | None
    amount: Decimal | None
    refund_id: str | None  # PhonePe's id (OMR...)
    error_code: str | None


@dataclass(frozen=True)
class PayFacts:
    phonepe_order_id: str
    redirect_url: str


def paise(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return from_paise(value)


def pay_facts(document: Mapping[str, Any]) -> PayFacts:
    """A 200 answer to ``/checkout/v2/pay``: the order PhonePe opened and where to send the customer."""
    order_id, url = text_of(document.get("orderId")), document.get("redirectUrl")
    if order_id is None or not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise Unreadable("pay answer without orderId or redirectUrl")
    if document.get("state") not in (None, "PENDING"):
        raise Unreadable(f"pay answer in state {document.get('state')!r}")
    return PayFacts(order_id, url)


def order_facts(document: Mapping[str, Any]) -> OrderFacts:
    """An order status answer, or a webhook's ``payload``: decided on the root ``state`` alone."""
    state = document.get("state")
    if not isinstance(state, str) or state not in ORDER_STATES:
        raise Unreadable(f"order state {state!r} is not one PhonePe documents")
    amount = paise(document.get("amount"))
    if "amount" in document and amount is None:
        raise Unreadable("order amount is not whole paise")
    attempt = _deciding_attempt(document.get("paymentDetails"), state)
    return OrderFacts(
        signal=ORDER_STATES[state],
        state=state,
        amount=amount,
        merchant_order_id=text_of(document.get("merchantOrderId")),
        merchant_id=text_of(document.get("merchantId")),
        phonepe_order_id=text_of(document.get("orderId")),
        transaction_id=text_of(attempt.get("transactionId")),
        payment_mode=text_of(attempt.get("paymentMode")),
        error_code=text_of(document.get("errorCode")) or text_of(attempt.get("errorCode")),
    )


def _deciding_attempt(details: object, state: str) -> Mapping[str, Any]:
    """The attempt that completed the order, else the latest one (PhonePe lists them oldest first)."""
    attempts = [a for a in details if isinstance(a, dict)] if isinstance(details, list) else []
    completed = [a for a in attempts if a.get("state") == "COMPLETED"]
    if state == "COMPLETED" and completed:
        return completed[-1]
    return attempts[-1] if attempts else {}


def refund_facts(document: Mapping[str, Any]) -> RefundFacts:
    """A refund answer, a refund status answer, or a refund webhook's ``payload``."""
    state = document.get("state")
    if not isinstance(state, str) or state not in REFUND_STATES:
        raise Unreadable(f"refund state {state!r} is not one PhonePe documents")
    return RefundFacts(
        signal=REFUND_STATES[state],
        state=state,
        amount=paise(document.get("amount")),
        refund_id=text_of(document.get("refundId")),
        error_code=text_of(document.get("errorCode")),
    )


def error_code(document: Mapping[str, Any] | None) -> str | None:
    """An error answer's code (``code``, or ``errorCode`` on authorization errors)."""
    if document is None:
        return None
    return text_of(document.get("code")) or text_of(document.get("errorCode"))


def is_not_found(status_code: int, document: Mapping[str, Any] | None) -> bool:
    return status_code == 404 or (status_code == 400 and error_code(document) in NOT_FOUND_CODES)


@dataclass(frozen=True)
class Webhook:
    event: str
    order: OrderFacts | None  # None for refund events


def webhook(document: object) -> Webhook:
    """A webhook body ``{"event": ..., "payload": {...}}``, after its Authorization was checked."""
    if not isinstance(document, dict):
        raise Unreadable("webhook body is not a JSON object")
    event, payload = document.get("event"), document.get("payload")
    if not isinstance(event, str) or not event:
        raise Unreadable("webhook without event")
    if not isinstance(payload, dict):
        raise Unreadable("webhook without payload")
    if event.startswith(REFUND_EVENT_PREFIX):
        refund_facts(payload)  # readable, or it is refused like any other malformed body
        return Webhook(event, None)
    if event not in ORDER_EVENTS:
        raise Unreadable(f"webhook event {event!r} is not a checkout order event")
    facts = order_facts(payload)
    if facts.merchant_order_id is None:
        raise Unreadable("webhook payload without merchantOrderId")
    return Webhook(event, facts)
