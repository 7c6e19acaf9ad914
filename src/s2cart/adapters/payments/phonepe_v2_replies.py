"""Reading PhonePe Standard Checkout v2: pure functions from what PhonePe sent to ``GatewayFacts``.

No I/O, no clock and no S2Cart rules here (the ``Payment`` judges amounts, ids and expiry): every function
takes the parsed answer and reports what PhonePe said, or raises ``Unreadable``. Field names and states are
those of ``docs/payments-phonepe-v2.md``; unknown fields are ignored, as PhonePe asks.

v2 answers to status reads carry neither S2Cart's order id nor the merchant id: the path named the order and
the token authenticated the merchant, so those facts are the ones the call was made for (``asked``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from s2cart.adapters.payments.http import NoAnswer, Reply, text_of
from s2cart.domain.payments.amounts import reported_paise
from s2cart.domain.payments.facts import GatewayFacts, GatewayState

GATEWAY: Final = "PHONEPE"
ORDER_STATES: Mapping[str, GatewayState] = {
    "COMPLETED": GatewayState.SUCCESS,
    "FAILED": GatewayState.FAILURE,
    "PENDING": GatewayState.PENDING,
}
# CONFIRMED: PhonePe accepted the refund but has not paid it out yet.
REFUND_STATES: Mapping[str, GatewayState] = {
    "COMPLETED": GatewayState.SUCCESS,
    "FAILED": GatewayState.FAILURE,
    "PENDING": GatewayState.PENDING,
    "CONFIRMED": GatewayState.PENDING,
}
ORDER_EVENTS = frozenset({"checkout.order.completed", "checkout.order.failed", "checkout.transaction.attempt.failed"})
REFUND_EVENT_PREFIX = "pg.refund."
# Error codes under which PhonePe says "no such order/refund" on a 400 (a 404 says it by itself).
NOT_FOUND_CODES = frozenset({"ORDER_NOT_FOUND", "REFUND_NOT_FOUND", "INVALID_MERCHANT_ORDER_ID", "NOT_FOUND"})


class Unreadable(ValueError):
    """The document is not what the protocol promises; the message is safe to log."""


@dataclass(frozen=True)
class Asked:
    """What a call was about: S2Cart's id at PhonePe (order or refund) and the merchant it authenticated as."""

    gateway_order_id: str
    merchant_id: str


def _amount(document: Mapping[str, Any]) -> int | None:
    if "amount" not in document:
        return None
    paise = reported_paise(document["amount"]) if isinstance(document["amount"], int) else None
    if paise is None:
        raise Unreadable("amount is not whole paise")
    return paise


def pay_answer(reply: Reply | NoAnswer) -> GatewayFacts:
    """``/checkout/v2/pay``: accepted (SUCCESS with the pay page), refused (FAILURE), or UNKNOWN."""
    if isinstance(reply, NoAnswer):
        return GatewayFacts.unanswered(GATEWAY, reply.reason)
    document = reply.json_object()
    if reply.status_code == 200 and document is not None:
        url = document.get("redirectUrl")
        if text_of(document.get("orderId")) is None or not isinstance(url, str) or not url.startswith("http"):
            return GatewayFacts.unanswered(GATEWAY, "BAD_REPLY")
        if document.get("state") not in (None, "PENDING"):
            return GatewayFacts.unanswered(GATEWAY, "BAD_REPLY")
        return GatewayFacts(GATEWAY, GatewayState.SUCCESS, code="PENDING", redirect_url=url)
    code, message = error_code(document), _message(document)
    if 400 <= reply.status_code < 500 and reply.status_code not in (408, 429):
        return GatewayFacts(GATEWAY, GatewayState.FAILURE, code=code or f"HTTP_{reply.status_code}", message=message)
    return GatewayFacts(GATEWAY, GatewayState.UNKNOWN, code=code or f"HTTP_{reply.status_code}", message=message)


def order_facts(document: Mapping[str, Any], asked: Asked) -> GatewayFacts:
    """An order status answer: decided on the root ``state`` alone."""
    return _order(document, asked.gateway_order_id, asked.merchant_id)


def _order(document: Mapping[str, Any], order_id: str | None, merchant_id: str | None) -> GatewayFacts:
    state = document.get("state")
    if not isinstance(state, str) or state not in ORDER_STATES:
        raise Unreadable(f"order state {state!r} is not one PhonePe documents")
    attempt = _deciding_attempt(document.get("paymentDetails"), state)
    return GatewayFacts(
        GATEWAY,
        ORDER_STATES[state],
        gateway_order_id=order_id,
        merchant_id=merchant_id,
        amount_paise=_amount(document),
        transaction_id=text_of(attempt.get("transactionId")),
        mode=text_of(attempt.get("paymentMode")),
        code=text_of(document.get("errorCode")) or text_of(attempt.get("errorCode")) or state,
        message=text_of(document.get("detailedErrorCode")),
    )


def _deciding_attempt(details: object, state: str) -> Mapping[str, Any]:
    """The attempt that completed the order, else the latest one (PhonePe lists them oldest first)."""
    attempts = [a for a in details if isinstance(a, dict)] if isinstance(details, list) else []
    completed = [a for a in attempts if a.get("state") == "COMPLETED"]
    if state == "COMPLETED" and completed:
        return completed[-1]
    return attempts[-1] if attempts else {}


def refund_facts(document: Mapping[str, Any], asked: Asked) -> GatewayFacts:
    """A refund answer or a refund status answer (``asked`` names the refund)."""
    state = document.get("state")
    if not isinstance(state, str) or state not in REFUND_STATES:
        raise Unreadable(f"refund state {state!r} is not one PhonePe documents")
    return GatewayFacts(
        GATEWAY,
        REFUND_STATES[state],
        gateway_order_id=asked.gateway_order_id,
        merchant_id=asked.merchant_id,
        amount_paise=_amount(document),
        transaction_id=text_of(document.get("refundId")),
        code=text_of(document.get("errorCode")) or state,
        message=text_of(document.get("detailedErrorCode")),
    )


def refund_answer(reply: Reply | NoAnswer, asked: Asked) -> GatewayFacts:
    """``/payments/v2/refund``: PENDING (registered), FAILURE (refused outright) or UNKNOWN (ask its status)."""
    if isinstance(reply, NoAnswer):
        return GatewayFacts.unanswered(GATEWAY, reply.reason)
    document = reply.json_object()
    if reply.status_code == 200 and document is not None:
        try:
            return refund_facts(document, asked)
        except Unreadable:
            return GatewayFacts.unanswered(GATEWAY, "BAD_REPLY")
    code = error_code(document) or f"HTTP_{reply.status_code}"
    if reply.status_code in (408, 409, 429) or not 400 <= reply.status_code < 500:
        return GatewayFacts.unanswered(GATEWAY, code)  # 409: PhonePe knows that refund id already
    return GatewayFacts(GATEWAY, GatewayState.FAILURE, gateway_order_id=asked.gateway_order_id, code=code)


def error_code(document: Mapping[str, Any] | None) -> str | None:
    """An error answer's code (``code``, or ``errorCode`` on authorization errors)."""
    if document is None:
        return None
    return text_of(document.get("code")) or text_of(document.get("errorCode"))


def _message(document: Mapping[str, Any] | None) -> str | None:
    return text_of(document.get("message")) if document else None


def is_not_found(status_code: int, document: Mapping[str, Any] | None) -> bool:
    return status_code == 404 or (status_code == 400 and error_code(document) in NOT_FOUND_CODES)


def webhook_claim(document: object, merchant_id: str, merchant_named: bool) -> GatewayFacts:
    """A webhook body ``{"event": ..., "payload": {...}}``, after its Authorization was checked.

    Order events claim the payload's state for its ``merchantOrderId``. The merchant is the payload's
    ``merchantId`` when S2Cart was told its PhonePe merchant id (``merchant_named``), so a webhook for another
    merchant is refused; otherwise the Authorization header alone vouches for it (``merchant_id``, the one
    S2Cart authenticates as). Refund events claim nothing about the payment (UNKNOWN)."""
    if not isinstance(document, dict):
        raise Unreadable("webhook body is not a JSON object")
    event, payload = document.get("event"), document.get("payload")
    if not isinstance(event, str) or not event:
        raise Unreadable("webhook without event")
    if not isinstance(payload, dict):
        raise Unreadable("webhook without payload")
    if event.startswith(REFUND_EVENT_PREFIX):
        order_id = text_of(payload.get("originalMerchantOrderId"))
        if order_id is None:
            raise Unreadable("refund webhook without originalMerchantOrderId")
        refund = refund_facts(payload, Asked(order_id, merchant_id))
        return GatewayFacts(GATEWAY, GatewayState.UNKNOWN, order_id, merchant_id, code=refund.code, message=event)
    if event not in ORDER_EVENTS:
        raise Unreadable(f"webhook event {event!r} is not a checkout order event")
    order_id = text_of(payload.get("merchantOrderId"))
    if order_id is None:
        raise Unreadable("webhook payload without merchantOrderId")
    claimed_merchant = text_of(payload.get("merchantId")) if merchant_named else merchant_id
    return _order(payload, order_id, claimed_merchant)
