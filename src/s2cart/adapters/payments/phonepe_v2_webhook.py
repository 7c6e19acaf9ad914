"""PhonePe v2 webhooks: ``Authorization: sha256hex("username:password")``, checked before the body is read.

Order of checks, each one before the next: the header in constant time (else ``InvalidSignature``, 401), the
body's size (64 KiB; PhonePe's largest payloads are a few KiB), then the JSON and its fields (else
``InvalidCallback``, 400). What passes is only a claim: the use case confirms it through the status API.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Final

from s2cart.adapters.payments import phonepe_v2_replies as replies
from s2cart.application.errors import InvalidCallback, InvalidSignature
from s2cart.application.ports.payments import CallbackNotice, GatewayName, InboundCallback
from s2cart.domain.payments.status import GatewaySignal

GATEWAY: Final[GatewayName] = "PHONEPE"
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class WebhookCredentials:
    username: str
    password: str = field(repr=False)

    @property
    def authorization(self) -> str:
        return hashlib.sha256(f"{self.username}:{self.password}".encode()).hexdigest()


def authorized(header: str | None, credentials: WebhookCredentials) -> bool:
    if not header:
        return False
    given = header.strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(given, credentials.authorization.encode())


def read_webhook(
    callback: InboundCallback, credentials: WebhookCredentials, merchant_id: str | None = None
) -> CallbackNotice:
    if not authorized(callback.header("Authorization"), credentials):
        raise InvalidSignature(GATEWAY, "webhook Authorization does not match")
    if len(callback.body) > MAX_BODY_BYTES:
        raise InvalidCallback(GATEWAY, "webhook body too large")
    try:
        hook = replies.webhook(json.loads(callback.body))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and Unreadable are ValueErrors
        raise InvalidCallback(GATEWAY, f"webhook unreadable: {exc}"[:120]) from exc
    if hook.order is None:
        return _refund_notice(callback.body)
    facts = hook.order
    if merchant_id and facts.merchant_id and facts.merchant_id != merchant_id:
        raise InvalidCallback(GATEWAY, "webhook names another merchant")
    assert facts.merchant_order_id is not None
    return CallbackNotice(
        gateway=GATEWAY,
        gateway_order_id=facts.merchant_order_id,
        claimed=facts.signal,
        amount=facts.amount,
        gateway_txn_id=facts.transaction_id,
        gateway_code=facts.error_code or facts.state,
        gateway_message=hook.event,
    )


def _refund_notice(body: bytes) -> CallbackNotice:
    """A refund event claims nothing about the payment: recorded, then left to the refund status calls."""
    payload = json.loads(body)["payload"]
    order_id = payload.get("originalMerchantOrderId")
    if not isinstance(order_id, str) or not order_id:
        raise InvalidCallback(GATEWAY, "refund webhook without originalMerchantOrderId")
    return CallbackNotice(
        gateway=GATEWAY,
        gateway_order_id=order_id,
        claimed=GatewaySignal.UNKNOWN,
        amount=None,
        gateway_code=str(payload.get("state")),
        gateway_message=str(json.loads(body)["event"]),
    )
