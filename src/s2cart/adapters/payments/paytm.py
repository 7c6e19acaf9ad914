"""PaytmGateway: Initiate Transaction, Transaction Status v3, Refund, Refund Status, and the form callback.

Every request body is signed with the Paytm checksum over its exact text; replies are checked the same way
when they carry a signature, and a success that is not signed is not believed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final
from urllib.parse import parse_qsl

import httpx

from s2cart.adapters.payments import paytm_checksum, paytm_envelope
from s2cart.adapters.payments.http import NoAnswer, Reply, exchange, read_twice, text_of
from s2cart.application.errors import (
    GatewayRejected,
    GatewayUnavailable,
    InvalidCallback,
    InvalidSignature,
)
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
from s2cart.domain.payments.amounts import rupee_text, rupees
from s2cart.domain.payments.rules import judge_payment, refund_status_for, status_after_initiate
from s2cart.domain.payments.status import GatewaySignal, InitiateOutcome

logger = logging.getLogger("s2cart.payments.paytm")

NO_RECORD = frozenset({"331", "631"})  # no such transaction / no such refund
UNKNOWN_CODES = frozenset({"501"})  # system error: unknown, ask again later
MISCONFIGURED_CODES = frozenset({"334", "335", "2005"})  # invalid order id / mid / checksum
SIGNALS: Mapping[str, GatewaySignal] = {
    "TXN_SUCCESS": GatewaySignal.SUCCESS,
    "TXN_FAILURE": GatewaySignal.FAILURE,
    "PENDING": GatewaySignal.PENDING,
}
# The latency metric's operation label for each API path (paths here carry no ids).
OPERATIONS: Mapping[str, str] = {
    "/theia/api/v1/initiateTransaction": "initiate",
    "/v3/order/status": "status",
    "/refund/apply": "refund",
    "/v2/refund/status": "refund_status",
}


class PaytmGateway:
    name: Final[GatewayName] = "PAYTM"

    def __init__(self, http: httpx.AsyncClient, *, mid: str, merchant_key: str, website: str, clock: Clock) -> None:
        self._http = http
        self._mid = mid
        self._key = merchant_key
        self._website = website
        self._clock = clock

    def __repr__(self) -> str:
        return f"PaytmGateway(mid={self._mid!r}, base_url={str(self._http.base_url)!r})"

    async def initiate(self, request: InitiateRequest) -> InitiateResult:
        user: dict[str, str] = {"custId": request.customer_id}
        if request.mobile:
            user["mobile"] = request.mobile
        body = {
            "requestType": "Payment",
            "mid": self._mid,
            "websiteName": self._website,
            "orderId": request.gateway_order_id,
            "callbackUrl": request.callback_url,
            "txnAmount": {"value": rupee_text(request.amount), "currency": "INR"},
            "userInfo": user,
        }
        reply = await self._post(
            "/theia/api/v1/initiateTransaction",
            body,
            params={"mid": self._mid, "orderId": request.gateway_order_id},
        )
        outcome, token, code, message = self._initiate_outcome(reply)
        logger.info("paytm initiate %s: %s %s", request.gateway_order_id, outcome, code or "")
        return InitiateResult(
            gateway=self.name,
            gateway_order_id=request.gateway_order_id,
            amount=request.amount,
            outcome=outcome,
            status=status_after_initiate(outcome),
            merchant_id=self._mid,
            token=token,
            gateway_code=code,
            gateway_message=message,
        )

    def _initiate_outcome(self, reply: Reply | NoAnswer) -> tuple[InitiateOutcome, str | None, str | None, str | None]:
        if isinstance(reply, NoAnswer):
            return InitiateOutcome.UNKNOWN, None, reply.reason, None
        try:
            body = self._signed_body(reply, require_signature=False)
        except (GatewayUnavailable, InvalidSignature) as exc:
            return InitiateOutcome.UNKNOWN, None, exc.detail, None
        status, code, message = _result_info(body)
        token = body.get("txnToken")
        if status == "S" and isinstance(token, str) and token:
            return InitiateOutcome.ACCEPTED, token, code, message
        if status and status != "S":
            return InitiateOutcome.REJECTED, None, code, message
        return InitiateOutcome.UNKNOWN, None, "BAD_REPLY", message

    async def fetch_status(self, query: StatusQuery) -> StatusResult:
        body = await read_twice(
            lambda: self._read("/v3/order/status", {"mid": self._mid, "orderId": query.gateway_order_id})
        )
        status, code, message = _result_info(body)
        signal = _signal(status, code)
        amount = _amount(body.get("txnAmount"))
        matches = (
            body.get("mid") == self._mid
            and body.get("orderId") == query.gateway_order_id
            and amount == query.expected_amount
        )
        now = self._clock.now()
        verdict = judge_payment(signal, details_match=matches, initiated_at=query.initiated_at, now=now)
        if verdict.reason:
            logger.error(
                "paytm status %s: %s (reported mid match %s, order %s, amount %s, expected %s)",
                query.gateway_order_id,
                verdict.reason,
                body.get("mid") == self._mid,
                body.get("orderId"),
                amount,
                query.expected_amount,
            )
        return StatusResult(
            gateway=self.name,
            gateway_order_id=query.gateway_order_id,
            signal=signal,
            status=verdict.status,
            checked_at=now,
            reason=verdict.reason,
            amount=amount,
            gateway_txn_id=text_of(body.get("txnId")),
            payment_mode=text_of(body.get("paymentMode")),
            gateway_code=code,
            gateway_message=message,
        )

    def verify_callback(self, callback: InboundCallback) -> CallbackNotice:
        try:
            fields = dict(parse_qsl(callback.body.decode("utf-8"), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError) as exc:
            raise InvalidCallback(self.name, "unreadable form") from exc
        checksum = fields.pop(paytm_checksum.CHECKSUM_FIELD, None)
        if not paytm_checksum.verify(fields, self._key, checksum):
            raise InvalidSignature(self.name, "callback checksum does not verify")
        if fields.get("MID") != self._mid:
            raise InvalidCallback(self.name, "callback names another merchant")
        order_id = fields.get("ORDERID")
        if not order_id:
            raise InvalidCallback(self.name, "callback without ORDERID")
        amount = _amount(fields.get("TXNAMOUNT"))
        if fields.get("TXNAMOUNT") and amount is None:
            raise InvalidCallback(self.name, "callback amount unreadable")
        return CallbackNotice(
            gateway=self.name,
            gateway_order_id=order_id,
            claimed=SIGNALS.get(fields.get("STATUS", ""), GatewaySignal.UNKNOWN),
            amount=amount,
            gateway_txn_id=fields.get("TXNID") or None,
            gateway_code=fields.get("RESPCODE") or None,
            gateway_message=fields.get("RESPMSG") or None,
        )

    async def refund(self, request: RefundRequest) -> RefundResult:
        body = {
            "mid": self._mid,
            "txnType": "REFUND",
            "orderId": request.gateway_order_id,
            "txnId": request.gateway_txn_id,
            "refId": request.refund_id,
            "refundAmount": rupee_text(request.amount),
        }
        reply = await self._post("/refund/apply", body)
        try:
            if isinstance(reply, NoAnswer):
                raise GatewayUnavailable(self.name, reply.reason)
            answer = self._signed_body(reply, require_signature=False)
        except (GatewayUnavailable, InvalidSignature) as exc:
            # The refund may have been registered: the caller asks its status before asking again.
            logger.warning("paytm refund %s: outcome unknown (%s)", request.refund_id, exc.detail)
            return RefundResult(
                gateway=self.name,
                refund_id=request.refund_id,
                signal=GatewaySignal.UNKNOWN,
                status=refund_status_for(GatewaySignal.UNKNOWN),
                amount=request.amount,
                gateway_code=exc.detail,
            )
        result = self._refund_result(request.refund_id, answer)
        logger.info("paytm refund %s: %s %s", request.refund_id, result.status, result.gateway_code or "")
        return result

    async def fetch_refund_status(self, query: RefundStatusQuery) -> RefundResult:
        body = await read_twice(
            lambda: self._read(
                "/v2/refund/status",
                {"mid": self._mid, "orderId": query.gateway_order_id, "refId": query.refund_id},
            )
        )
        return self._refund_result(query.refund_id, body)

    def _refund_result(self, refund_id: str, body: dict[str, Any]) -> RefundResult:
        status, code, message = _result_info(body)
        signal = _signal(status, code)
        return RefundResult(
            gateway=self.name,
            refund_id=refund_id,
            signal=signal,
            status=refund_status_for(signal),
            amount=_amount(body.get("refundAmount")),
            gateway_refund_id=text_of(body.get("refundId")),
            gateway_code=code,
            gateway_message=message,
        )

    async def _post(
        self, path: str, body: Mapping[str, Any], params: Mapping[str, str] | None = None
    ) -> Reply | NoAnswer:
        content = paytm_envelope.signed_request(paytm_envelope.body_text(body), self._key)
        return await exchange(
            self._http,
            "POST",
            path,
            gateway=self.name,
            operation=OPERATIONS.get(path, "other"),
            content=content,
            headers={"Content-Type": "application/json"},
            params=params,
        )

    async def _read(self, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A read's reply body, signature checked; raises when nothing can be learned from it."""
        reply = await self._post(path, body)
        if isinstance(reply, NoAnswer):
            raise GatewayUnavailable(self.name, reply.reason)
        answer = self._signed_body(reply, require_signature=True)
        _, code, _ = _result_info(answer)
        if code in MISCONFIGURED_CODES:
            logger.error("paytm %s refused S2Cart's request: code %s", path, code)
            raise GatewayRejected(self.name, f"code {code}", gateway_code=code)
        return answer

    def _signed_body(self, reply: Reply, *, require_signature: bool) -> dict[str, Any]:
        """The reply's ``body``. A signature present must verify; a success must be signed on reads."""
        document = reply.json_object()
        text = paytm_envelope.member_text(reply.text, "body") if document else None
        body = document.get("body") if document else None
        if text is None or not isinstance(body, dict):
            raise GatewayUnavailable(self.name, "BAD_REPLY")
        head = document.get("head") if document else None
        signature = head.get("signature") if isinstance(head, dict) else None
        if signature is not None and not paytm_checksum.verify(text, self._key, str(signature)):
            raise InvalidSignature(self.name, "BAD_SIGNATURE")
        status, _, _ = _result_info(body)
        if signature is None and require_signature and status in ("TXN_SUCCESS", "S"):
            raise InvalidSignature(self.name, "UNSIGNED_SUCCESS")
        return body


def _result_info(body: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    info = body.get("resultInfo")
    if not isinstance(info, dict):
        return None, None, None
    return text_of(info.get("resultStatus")), text_of(info.get("resultCode")), text_of(info.get("resultMsg"))


def _signal(status: str | None, code: str | None) -> GatewaySignal:
    # The code goes first: "no record" and "system error" arrive with resultStatus TXN_FAILURE.
    if code in NO_RECORD:
        return GatewaySignal.NOT_FOUND
    if code in UNKNOWN_CODES:
        return GatewaySignal.UNKNOWN
    return SIGNALS.get(status or "", GatewaySignal.UNKNOWN)


def _amount(value: object) -> Decimal | None:
    if not isinstance(value, str):
        return None
    try:
        return rupees(value)
    except ValueError:
        return None
