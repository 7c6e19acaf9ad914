"""Reading PhonePe v1 replies: what a pay reply, a status reply or a callback says, as ``GatewayFacts``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from s2cart.adapters.payments.http import NoAnswer, Reply, text_of
from s2cart.domain.payments.amounts import reported_paise
from s2cart.domain.payments.facts import GatewayFacts, GatewayState

GATEWAY = "PHONEPE"
STATES: Mapping[str, GatewayState] = {
    "COMPLETED": GatewayState.SUCCESS,
    "FAILED": GatewayState.FAILURE,
    "PENDING": GatewayState.PENDING,
}
CODES: Mapping[str, GatewayState] = {
    "PAYMENT_SUCCESS": GatewayState.SUCCESS,
    "PAYMENT_ERROR": GatewayState.FAILURE,
    "PAYMENT_DECLINED": GatewayState.FAILURE,
    "TIMED_OUT": GatewayState.FAILURE,
    "PAYMENT_PENDING": GatewayState.PENDING,
    "INTERNAL_SERVER_ERROR": GatewayState.UNKNOWN,
    "TRANSACTION_NOT_FOUND": GatewayState.NOT_FOUND,
}


def pay_answer(reply: Reply | NoAnswer) -> GatewayFacts:
    """Accepted (SUCCESS with the pay page), rejected (FAILURE), or UNKNOWN."""
    if isinstance(reply, NoAnswer):
        return GatewayFacts.unanswered(GATEWAY, reply.reason)
    document = reply.json_object()
    if document is None or not isinstance(document.get("success"), bool):
        return GatewayFacts.unanswered(GATEWAY, "BAD_REPLY")
    code, message = text_of(document.get("code")), text_of(document.get("message"))
    if document["success"]:
        instrument = data_of(document).get("instrumentResponse")
        redirect = instrument.get("redirectInfo") if isinstance(instrument, dict) else None
        url = redirect.get("url") if isinstance(redirect, dict) else None
        if code == "PAYMENT_INITIATED" and isinstance(url, str) and url:
            return GatewayFacts(GATEWAY, GatewayState.SUCCESS, code=code, message=message, redirect_url=url)
        return GatewayFacts(GATEWAY, GatewayState.UNKNOWN, code="BAD_REPLY", message=message)
    if code == "INTERNAL_SERVER_ERROR" or code is None:
        return GatewayFacts(GATEWAY, GatewayState.UNKNOWN, code=code or "BAD_REPLY", message=message)
    return GatewayFacts(GATEWAY, GatewayState.FAILURE, code=code, message=message)


def data_of(document: Mapping[str, Any]) -> Mapping[str, Any]:
    data = document.get("data")
    return data if isinstance(data, dict) else {}


def state_of(document: Mapping[str, Any]) -> GatewayState:
    """Decide on ``data.state`` when present, otherwise on ``code`` (PhonePe's own advice)."""
    state = data_of(document).get("state")
    if isinstance(state, str) and state in STATES:
        return STATES[state]
    return CODES.get(text_of(document.get("code")) or "", GatewayState.UNKNOWN)


def facts_of(document: Mapping[str, Any], state: GatewayState | None = None) -> GatewayFacts:
    """A status reply, a callback's decoded ``response`` or a refund reply (same shape), verbatim."""
    data = data_of(document)
    instrument = data.get("paymentInstrument")
    return GatewayFacts(
        GATEWAY,
        state_of(document) if state is None else state,
        gateway_order_id=text_of(data.get("merchantTransactionId")),
        merchant_id=text_of(data.get("merchantId")),
        amount_paise=reported_paise(data.get("amount")) if isinstance(data.get("amount"), int) else None,
        transaction_id=text_of(data.get("transactionId")),
        mode=text_of(instrument.get("type")) if isinstance(instrument, dict) else None,
        code=text_of(document.get("code")),
        message=text_of(document.get("message")),
    )
