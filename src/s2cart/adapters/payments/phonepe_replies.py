"""Reading PhonePe v1 replies: what a pay reply, a status reply or a callback says, gateway-neutrally."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from s2cart.adapters.payments.http import NoAnswer, Reply, text_of
from s2cart.domain.payments.amounts import from_paise
from s2cart.domain.payments.status import GatewaySignal, InitiateOutcome

STATES: Mapping[str, GatewaySignal] = {
    "COMPLETED": GatewaySignal.SUCCESS,
    "FAILED": GatewaySignal.FAILURE,
    "PENDING": GatewaySignal.PENDING,
}
CODES: Mapping[str, GatewaySignal] = {
    "PAYMENT_SUCCESS": GatewaySignal.SUCCESS,
    "PAYMENT_ERROR": GatewaySignal.FAILURE,
    "PAYMENT_DECLINED": GatewaySignal.FAILURE,
    "TIMED_OUT": GatewaySignal.FAILURE,
    "PAYMENT_PENDING": GatewaySignal.PENDING,
    "INTERNAL_SERVER_ERROR": GatewaySignal.UNKNOWN,
    "TRANSACTION_NOT_FOUND": GatewaySignal.NOT_FOUND,
}


def initiate_outcome(reply: Reply | NoAnswer) -> tuple[InitiateOutcome, str | None, str | None, str | None]:
    if isinstance(reply, NoAnswer):
        return InitiateOutcome.UNKNOWN, None, reply.reason, None
    document = reply.json_object()
    if document is None or not isinstance(document.get("success"), bool):
        return InitiateOutcome.UNKNOWN, None, "BAD_REPLY", None
    code, message = text_of(document.get("code")), text_of(document.get("message"))
    if document["success"]:
        instrument = data_of(document).get("instrumentResponse")
        redirect = instrument.get("redirectInfo") if isinstance(instrument, dict) else None
        url = redirect.get("url") if isinstance(redirect, dict) else None
        if code == "PAYMENT_INITIATED" and isinstance(url, str) and url:
            return InitiateOutcome.ACCEPTED, url, code, message
        return InitiateOutcome.UNKNOWN, None, "BAD_REPLY", message
    if code == "INTERNAL_SERVER_ERROR" or code is None:
        return InitiateOutcome.UNKNOWN, None, code or "BAD_REPLY", message
    return InitiateOutcome.REJECTED, None, code, message


def data_of(document: Mapping[str, Any]) -> Mapping[str, Any]:
    data = document.get("data")
    return data if isinstance(data, dict) else {}


def signal_of(document: Mapping[str, Any]) -> GatewaySignal:
    """Decide on ``data.state`` when present, otherwise on ``code`` (PhonePe's own advice)."""
    state = data_of(document).get("state")
    if isinstance(state, str) and state in STATES:
        return STATES[state]
    return CODES.get(text_of(document.get("code")) or "", GatewaySignal.UNKNOWN)


def paise_amount(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return from_paise(value)
