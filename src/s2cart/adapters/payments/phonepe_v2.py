"""PhonePeV2Gateway: Standard Checkout v2 (OAuth token, pay, order status, refund, webhooks).

The same port as the v1 adapter. Every call carries ``Authorization: O-Bearer <token>`` from
``PhonePeTokens``; a 401 drops that token and the call goes once more with a fresh one (PhonePe refused the
credential before acting, so even a pay call is safe to resend). Reading PhonePe's answers is
``phonepe_v2_replies`` (pure functions); webhooks are authenticated by ``phonepe_v2_webhook`` before a byte of
their body is read. See ``docs/payments-phonepe-v2.md``.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from typing import Any, Final

import httpx

from s2cart.adapters.payments import phonepe_v2_replies as replies
from s2cart.adapters.payments.http import NoAnswer, Reply, exchange, read_twice
from s2cart.adapters.payments.phonepe_v2_token import ClientCredentials, PhonePeTokens
from s2cart.adapters.payments.phonepe_v2_webhook import WebhookCredentials, read_webhook
from s2cart.application.errors import GatewayRejected, GatewayUnavailable
from s2cart.application.ports.payments import (
    CallbackNotice,
    GatewayName,
    InboundCallback,
    InitiateRequest,
    InitiateResult,
    RefundRequest,
    RefundResult,
    RefundStatusQuery,
    StatusQuery,
    StatusResult,
)
from s2cart.application.ports.system import Clock
from s2cart.domain.payments.amounts import to_paise
from s2cart.domain.payments.rules import judge_payment, refund_status_for, status_after_initiate
from s2cart.domain.payments.status import GatewaySignal, InitiateOutcome

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
        self._http = http
        self._clock = clock
        self._merchant_id = merchant_id
        url = token_url or f"{str(http.base_url).rstrip('/')}{TOKEN_PATH}"
        self.tokens = PhonePeTokens(http, url, ClientCredentials(client_id, client_secret, client_version), clock)
        self._webhook = WebhookCredentials(webhook_username, webhook_password)
        self._client_id = client_id

    def __repr__(self) -> str:
        return f"PhonePeV2Gateway(client_id={self._client_id!r}, base_url={str(self._http.base_url)!r})"

    async def initiate(self, request: InitiateRequest) -> InitiateResult:
        body: dict[str, Any] = {
            "merchantOrderId": request.gateway_order_id,
            "amount": to_paise(request.amount),
            "expireAfter": EXPIRE_AFTER_SECONDS,
            "paymentFlow": {"type": "PG_CHECKOUT", "merchantUrls": {"redirectUrl": request.redirect_url}},
        }
        url: str | None = None
        code: str | None
        try:
            reply = await self._call("POST", PAY_PATH, body)
        except GatewayRejected as exc:
            outcome, code = InitiateOutcome.REJECTED, exc.gateway_code or "AUTHORIZATION_FAILED"
        except GatewayUnavailable:
            outcome, code = InitiateOutcome.UNKNOWN, "TOKEN_UNAVAILABLE"  # nothing was sent: status says so
        else:
            outcome, url, code = _pay_outcome(reply)
        logger.info("phonepe v2 pay %s: %s %s", request.gateway_order_id, outcome, code or "")
        return InitiateResult(
            gateway=self.name,
            gateway_order_id=request.gateway_order_id,
            amount=request.amount,
            outcome=outcome,
            status=status_after_initiate(outcome),
            merchant_id=self._merchant_id or self._client_id,
            redirect_url=url,
            gateway_code=code,
        )

    async def fetch_status(self, query: StatusQuery) -> StatusResult:
        facts = await read_twice(lambda: self._order_status(query.gateway_order_id))
        now = self._clock.now()
        if facts is None:
            verdict = judge_payment(
                GatewaySignal.NOT_FOUND, details_match=False, initiated_at=query.initiated_at, now=now
            )
            return StatusResult(
                gateway=self.name,
                gateway_order_id=query.gateway_order_id,
                signal=GatewaySignal.NOT_FOUND,
                status=verdict.status,
                checked_at=now,
                reason=verdict.reason,
                gateway_code="ORDER_NOT_FOUND",
            )
        matches = facts.amount == query.expected_amount and facts.merchant_order_id in (None, query.gateway_order_id)
        verdict = judge_payment(facts.signal, details_match=matches, initiated_at=query.initiated_at, now=now)
        if verdict.reason:
            logger.error(
                "phonepe v2 status %s: %s (reported order %s, amount %s, expected %s)",
                query.gateway_order_id,
                verdict.reason,
                facts.merchant_order_id,
                facts.amount,
                query.expected_amount,
            )
        return StatusResult(
            gateway=self.name,
            gateway_order_id=query.gateway_order_id,
            signal=facts.signal,
            status=verdict.status,
            checked_at=now,
            reason=verdict.reason,
            amount=facts.amount,
            gateway_txn_id=facts.transaction_id,
            payment_mode=facts.payment_mode,
            gateway_code=facts.error_code or facts.state,
        )

    def verify_callback(self, callback: InboundCallback) -> CallbackNotice:
        return read_webhook(callback, self._webhook, self._merchant_id)

    async def refund(self, request: RefundRequest) -> RefundResult:
        body = {
            "merchantRefundId": request.refund_id,
            "originalMerchantOrderId": request.gateway_order_id,
            "amount": to_paise(request.amount),
        }
        try:
            reply: Reply | NoAnswer = await self._call("POST", REFUND_PATH, body)
        except GatewayRejected as exc:
            return self._refund_result(request.refund_id, GatewaySignal.FAILURE, None, exc.gateway_code)
        except GatewayUnavailable:
            reply = NoAnswer("TOKEN_UNAVAILABLE")
        signal, facts, code = _refund_outcome(reply)
        if signal is GatewaySignal.UNKNOWN:
            # The refund may have been registered: the caller asks its status before asking again.
            logger.warning("phonepe v2 refund %s: outcome unknown (%s)", request.refund_id, code)
        logger.info("phonepe v2 refund %s: %s %s", request.refund_id, signal, code or "")
        return self._refund_result(request.refund_id, signal, facts, code, request.amount)

    async def fetch_refund_status(self, query: RefundStatusQuery) -> RefundResult:
        facts = await read_twice(lambda: self._refund_status(query.refund_id))
        if facts is None:
            return self._refund_result(query.refund_id, GatewaySignal.NOT_FOUND, None, "REFUND_NOT_FOUND")
        return self._refund_result(query.refund_id, facts.signal, facts, facts.error_code or facts.state)

    # --- the wire --------------------------------------------------------------------------------------

    async def _call(self, method: str, path: str, body: Any = None) -> Reply | NoAnswer:
        """One API call with the current token; on a 401, once more with a fresh one."""
        content = json.dumps(body, separators=(",", ":")) if body is not None else None
        for attempt in (1, 2):
            authorization = await self.tokens.header()
            reply = await exchange(
                self._http,
                method,
                path,
                gateway=self.name,
                content=content,
                headers={"Content-Type": "application/json", "Authorization": authorization},
            )
            if not (isinstance(reply, Reply) and reply.status_code == 401):
                return reply
            self.tokens.discard(authorization)
            if attempt == 1:
                logger.warning("phonepe v2 %s %s: token refused, fetching a new one", method, path)
        raise GatewayRejected(self.name, "token refused twice", gateway_code="AUTHORIZATION_FAILED")

    async def _order_status(self, merchant_order_id: str) -> replies.OrderFacts | None:
        reply = await self._read(order_status_path(merchant_order_id))
        if reply is None:
            return None
        try:
            return replies.order_facts(reply)
        except replies.Unreadable as exc:
            logger.warning("phonepe v2 status %s: %s", merchant_order_id, exc)
            raise GatewayUnavailable(self.name, "BAD_REPLY") from exc

    async def _refund_status(self, merchant_refund_id: str) -> replies.RefundFacts | None:
        reply = await self._read(refund_status_path(merchant_refund_id))
        if reply is None:
            return None
        try:
            return replies.refund_facts(reply)
        except replies.Unreadable as exc:
            raise GatewayUnavailable(self.name, "BAD_REPLY") from exc

    async def _read(self, path: str) -> dict[str, Any] | None:
        """A status read: the answer's document, None when PhonePe has no such id, or an error to raise."""
        reply = await self._call("GET", path)
        if isinstance(reply, NoAnswer):
            raise GatewayUnavailable(self.name, reply.reason)
        document = reply.json_object()
        if replies.is_not_found(reply.status_code, document):
            return None
        if reply.status_code != 200:
            code = replies.error_code(document)
            logger.error("phonepe v2 refused S2Cart's read %s: HTTP %s %s", path, reply.status_code, code or "")
            raise GatewayRejected(self.name, f"HTTP {reply.status_code}", gateway_code=code)
        if document is None:
            raise GatewayUnavailable(self.name, "BAD_REPLY")
        return document

    def _refund_result(
        self,
        refund_id: str,
        signal: GatewaySignal,
        facts: replies.RefundFacts | None,
        code: str | None,
        requested: Decimal | None = None,
    ) -> RefundResult:
        return RefundResult(
            gateway=self.name,
            refund_id=refund_id,
            signal=signal,
            status=refund_status_for(signal),
            amount=(facts.amount if facts else None) or requested,
            gateway_refund_id=facts.refund_id if facts else None,
            gateway_code=code,
        )


def _pay_outcome(reply: Reply | NoAnswer) -> tuple[InitiateOutcome, str | None, str | None]:
    if isinstance(reply, NoAnswer):
        return InitiateOutcome.UNKNOWN, None, reply.reason
    document = reply.json_object()
    if reply.status_code == 200 and document is not None:
        try:
            facts = replies.pay_facts(document)
        except replies.Unreadable:
            return InitiateOutcome.UNKNOWN, None, "BAD_REPLY"
        return InitiateOutcome.ACCEPTED, facts.redirect_url, "PENDING"
    if 400 <= reply.status_code < 500 and reply.status_code not in (408, 429):
        return InitiateOutcome.REJECTED, None, replies.error_code(document) or f"HTTP_{reply.status_code}"
    return InitiateOutcome.UNKNOWN, None, replies.error_code(document) or f"HTTP_{reply.status_code}"


def _refund_outcome(reply: Reply | NoAnswer) -> tuple[GatewaySignal, replies.RefundFacts | None, str | None]:
    if isinstance(reply, NoAnswer):
        return GatewaySignal.UNKNOWN, None, reply.reason
    document = reply.json_object()
    code = replies.error_code(document)
    if reply.status_code == 200 and document is not None:
        try:
            facts = replies.refund_facts(document)
        except replies.Unreadable:
            return GatewaySignal.UNKNOWN, None, "BAD_REPLY"
        return facts.signal, facts, facts.state
    if reply.status_code in (408, 409, 429) or not 400 <= reply.status_code < 500:
        return GatewaySignal.UNKNOWN, None, code or f"HTTP_{reply.status_code}"  # 409: that id is known already
    return GatewaySignal.FAILURE, None, code or f"HTTP_{reply.status_code}"  # refused outright
