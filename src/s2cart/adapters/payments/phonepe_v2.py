"""PhonePeV2Gateway: Standard Checkout v2 (OAuth token, pay, order status, refund, webhooks).

The same port as the v1 adapter: every answer is ``GatewayFacts``, judged by the ``Payment``. Every call
carries ``Authorization: O-Bearer <token>`` from ``PhonePeTokens``; a 401 drops that token and the call goes
once more with a fresh one (PhonePe refused the credential before acting, so even a pay call is safe to
resend). Reading PhonePe's answers is ``phonepe_v2_replies`` (pure functions); webhooks are authenticated by
``phonepe_v2_webhook`` before a byte of their body is parsed. See ``docs/payments-phonepe-v2.md``.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Final

import httpx

from s2cart.adapters.payments import phonepe_v2_replies as replies
from s2cart.adapters.payments.http import NoAnswer, Reply, exchange, read_twice
from s2cart.adapters.payments.phonepe_v2_token import ClientCredentials, PhonePeTokens
from s2cart.adapters.payments.phonepe_v2_webhook import WebhookCredentials, read_webhook
from s2cart.application.errors import GatewayRejected, GatewayUnavailable
from s2cart.application.ports.payments import (
    GatewayName,
    InboundCallback,
    InitiateRequest,
    RefundRequest,
    RefundStatusQuery,
    StatusQuery,
)
from s2cart.application.ports.system import Clock
from s2cart.domain.payments.amounts import to_paise
from s2cart.domain.payments.facts import GatewayFacts, GatewayState

logger = logging.getLogger("s2cart.payments.phonepe")

PAY_PATH = "/checkout/v2/pay"
REFUND_PATH = "/payments/v2/refund"
TOKEN_PATH = "/v1/oauth/token"
EXPIRE_AFTER_SECONDS = 1200  # S2Cart's own 20-minute window (PhonePe allows 300-3600)


def order_status_path(merchant_order_id: str) -> str:
    return f"/checkout/v2/order/{merchant_order_id}/status"


def refund_status_path(merchant_refund_id: str) -> str:
    return f"/payments/v2/refund/{merchant_refund_id}/status"


class PhonePeV2Gateway:
    name: Final[GatewayName] = "PHONEPE"

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        client_id: str,
        client_secret: str,
        client_version: str,
        webhook_username: str,
        webhook_password: str,
        clock: Clock,
        token_url: str | None = None,
        merchant_id: str | None = None,
    ) -> None:
        """``clock`` times the token's renewal only; ``merchant_id``, when given, is what webhooks must name
        (without it the client id stands for the merchant and the webhook's Authorization vouches alone)."""
        self._http = http
        url = token_url or f"{str(http.base_url).rstrip('/')}{TOKEN_PATH}"
        self.tokens = PhonePeTokens(http, url, ClientCredentials(client_id, client_secret, client_version), clock)
        self._webhook = WebhookCredentials(webhook_username, webhook_password)
        self._merchant_id = merchant_id or client_id
        self._merchant_named = merchant_id is not None
        self._client_id = client_id

    def __repr__(self) -> str:
        return f"PhonePeV2Gateway(client_id={self._client_id!r}, base_url={str(self._http.base_url)!r})"

    @property
    def merchant_id(self) -> str:
        return self._merchant_id

    async def initiate(self, request: InitiateRequest) -> GatewayFacts:
        body: dict[str, Any] = {
            "merchantOrderId": request.gateway_order_id,
            "amount": to_paise(request.amount),
            "expireAfter": EXPIRE_AFTER_SECONDS,
            "paymentFlow": {"type": "PG_CHECKOUT", "merchantUrls": {"redirectUrl": request.redirect_url}},
        }
        try:
            answer = replies.pay_answer(await self._call("POST", PAY_PATH, body, operation="initiate"))
        except GatewayRejected as exc:
            answer = GatewayFacts(self.name, GatewayState.FAILURE, code=exc.gateway_code or "AUTHORIZATION_FAILED")
        except GatewayUnavailable:
            answer = GatewayFacts.unanswered(self.name, "TOKEN_UNAVAILABLE")  # nothing was sent: status says so
        logger.info("phonepe v2 pay %s: %s %s", request.gateway_order_id, answer.state, answer.code or "")
        return answer

    async def fetch_status(self, query: StatusQuery) -> GatewayFacts:
        asked = replies.Asked(query.gateway_order_id, self._merchant_id)
        return await read_twice(
            lambda: self._read(order_status_path(query.gateway_order_id), asked, replies.order_facts, "status")
        )

    def verify_callback(self, callback: InboundCallback) -> GatewayFacts:
        return read_webhook(callback, self._webhook, self._merchant_id, self._merchant_named)

    async def refund(self, request: RefundRequest) -> GatewayFacts:
        body = {
            "merchantRefundId": request.refund_id,
            "originalMerchantOrderId": request.gateway_order_id,
            "amount": to_paise(request.amount),
        }
        asked = replies.Asked(request.refund_id, self._merchant_id)
        try:
            answer = replies.refund_answer(await self._call("POST", REFUND_PATH, body, operation="refund"), asked)
        except GatewayRejected as exc:
            answer = GatewayFacts(self.name, GatewayState.FAILURE, code=exc.gateway_code or "AUTHORIZATION_FAILED")
        except GatewayUnavailable:
            answer = GatewayFacts.unanswered(self.name, "TOKEN_UNAVAILABLE")
        if answer.state is GatewayState.UNKNOWN:
            # The refund may have been registered: the caller asks its status before asking again.
            logger.warning("phonepe v2 refund %s: outcome unknown (%s)", request.refund_id, answer.code)
        logger.info("phonepe v2 refund %s: %s %s", request.refund_id, answer.state, answer.code or "")
        return answer

    async def fetch_refund_status(self, query: RefundStatusQuery) -> GatewayFacts:
        asked = replies.Asked(query.refund_id, self._merchant_id)
        return await read_twice(
            lambda: self._read(refund_status_path(query.refund_id), asked, replies.refund_facts, "refund_status")
        )

    # --- the wire --------------------------------------------------------------------------------------

    async def _call(self, method: str, path: str, body: Any = None, *, operation: str) -> Reply | NoAnswer:
        """One API call with the current token; on a 401, once more with a fresh one. ``operation`` labels
        its latency (paths carry order ids)."""
        content = json.dumps(body, separators=(",", ":")) if body is not None else None
        for attempt in (1, 2):
            authorization = await self.tokens.header()
            reply = await exchange(
                self._http,
                method,
                path,
                gateway=self.name,
                operation=operation,
                content=content,
                headers={"Content-Type": "application/json", "Authorization": authorization},
            )
            if not (isinstance(reply, Reply) and reply.status_code == 401):
                return reply
            self.tokens.discard(authorization)
            if attempt == 1:
                logger.warning("phonepe v2 %s %s: token refused, fetching a new one", method, path)
        raise GatewayRejected(self.name, "token refused twice", gateway_code="AUTHORIZATION_FAILED")

    async def _read(self, path: str, asked: replies.Asked, read: Any, operation: str) -> GatewayFacts:
        """A status read: PhonePe's answer as facts, NOT_FOUND, or an error to raise."""
        reply = await self._call("GET", path, operation=operation)
        if isinstance(reply, NoAnswer):
            raise GatewayUnavailable(self.name, reply.reason)
        document = reply.json_object()
        if replies.is_not_found(reply.status_code, document):
            code = replies.error_code(document) or "NOT_FOUND"
            return GatewayFacts(self.name, GatewayState.NOT_FOUND, asked.gateway_order_id, asked.merchant_id, code=code)
        if reply.status_code != 200:
            refusal = replies.error_code(document)
            logger.error("phonepe v2 refused S2Cart's read %s: HTTP %s %s", path, reply.status_code, refusal or "")
            raise GatewayRejected(self.name, f"HTTP {reply.status_code}", gateway_code=refusal)
        if document is None:
            raise GatewayUnavailable(self.name, "BAD_REPLY")
        try:
            facts: GatewayFacts = read(document, asked)
        except replies.Unreadable as exc:
            logger.warning("phonepe v2 read %s: %s", path, exc)
            raise GatewayUnavailable(self.name, "BAD_REPLY") from exc
        return facts
