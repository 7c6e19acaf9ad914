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

from s2cart.adapters.payments import phonepe_v2_replies as replies
from s2cart.application.errors import InvalidCallback, InvalidSignature
from s2cart.application.ports.payments import InboundCallback
from s2cart.domain.payments.facts import GatewayFacts

GATEWAY = replies.GATEWAY
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
    callback: InboundCallback, credentials: WebhookCredentials, merchant_id: str, merchant_named: bool
) -> GatewayFacts:
    if not authorized(callback.header("Authorization"), credentials):
        raise InvalidSignature(GATEWAY, "webhook Authorization does not match")
    if len(callback.body) > MAX_BODY_BYTES:
        raise InvalidCallback(GATEWAY, "webhook body too large")
    try:
        return replies.webhook_claim(json.loads(callback.body), merchant_id, merchant_named)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and Unreadable are ValueErrors
        raise InvalidCallback(GATEWAY, f"webhook unreadable: {exc}"[:120]) from exc
