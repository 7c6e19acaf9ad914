"""PaytmGateway: Initiate Transaction, Transaction Status v3, Refund, Refund Status, and the form callback.

Every request body is signed with the Paytm checksum over its exact text; replies are checked the same way
when they carry a signature, and a success that is not signed is not believed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
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
    GatewayName,
    InboundCallback,
    InitiateRequest,
    RefundRequest,
    RefundStatusQuery,
    StatusQuery,
)
from s2cart.domain.payments.amounts import reported_paise, rupee_text
from s2cart.domain.payments.facts import GatewayFacts, GatewayState

logger = logging.getLogger("s2cart.payments.paytm")

GATEWAY = "PAYTM"
# Paytm's callback is a form of about 15 short fields: anything far larger is not Paytm's.
MAX_CALLBACK_BYTES = 16 * 1024
MAX_CALLBACK_FIELDS = 64
NO_RECORD = frozenset({"331", "631"})  # no such transaction / no such refund
UNKNOWN_CODES = frozenset({"501"})  # system error: unknown, ask again later
MISCONFIGURED_CODES = frozenset({"334", "335", "2005"})  # invalid order id / mid / checksum
STATES: Mapping[str, GatewayState] = {
    "TXN_SUCCESS": GatewayState.SUCCESS,
    "TXN_FAILURE": GatewayState.FAILURE,
    "PENDING": GatewayState.PENDING,
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

    def __init__(self, http: httpx.AsyncClient, *, mid: str, merchant_key: str, website: str) -> None:
        self._http = http
        self._mid = mid
        self._key = merchant_key
        self._website = website

    def __repr__(self) -> str:
        return f"PaytmGateway(mid={self._mid!r}, base_url={str(self._http.base_url)!r})"

    @property
    def merchant_id(self) -> str:
        return self._mid

    async def initiate(self, request: InitiateRequest) -> GatewayFacts:
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
        answer = self._initiate_answer(reply)
        logger.info("paytm initiate %s: %s %s", request.gateway_order_id, answer.state, answer.code or "")
        return answer

    def _initiate_answer(self, reply: Reply | NoAnswer) -> GatewayFacts:
        if isinstance(reply, NoAnswer):
            return GatewayFacts.unanswered(GATEWAY, reply.reason)
        try:
            body = self._signed_body(reply, require_signature=False)
        except (GatewayUnavailable, InvalidSignature) as exc:
            return GatewayFacts.unanswered(GATEWAY, exc.detail)
        status, code, message = _result_info(body)
        token = body.get("txnToken")
        if status == "S" and isinstance(token, str) and token:
            return GatewayFacts(GATEWAY, GatewayState.SUCCESS, code=code, message=message, token=token)
        if status and status != "S":
            return GatewayFacts(GATEWAY, GatewayState.FAILURE, code=code, message=message)
        return GatewayFacts(GATEWAY, GatewayState.UNKNOWN, code="BAD_REPLY", message=message)

    async def fetch_status(self, query: StatusQuery) -> GatewayFacts:
        body = await read_twice(
            lambda: self._read("/v3/order/status", {"mid": self._mid, "orderId": query.gateway_order_id})
        )
        return _facts(body, PAYMENT_FIELDS)

    def verify_callback(self, callback: InboundCallback) -> GatewayFacts:
        """Bounded form parsing, then the checksum over every field; only then is any field read."""
        if len(callback.body) > MAX_CALLBACK_BYTES:
            raise InvalidCallback(self.name, "callback too large")
        try:
            pairs = parse_qsl(callback.body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_CALLBACK_FIELDS)
        except (UnicodeDecodeError, ValueError) as exc:
            raise InvalidCallback(self.name, "unreadable form") from exc
        fields = dict(pairs)
        checksum = fields.pop(paytm_checksum.CHECKSUM_FIELD, None)
        if not paytm_checksum.verify(fields, self._key, checksum):
            raise InvalidSignature(self.name, "callback checksum does not verify")
        order_id = fields.get("ORDERID")
        if not order_id:
            raise InvalidCallback(self.name, "callback without ORDERID")
        amount = _paise(fields.get("TXNAMOUNT"))
        if fields.get("TXNAMOUNT") and amount is None:
            raise InvalidCallback(self.name, "callback amount unreadable")
        return GatewayFacts(
            GATEWAY,
            STATES.get(fields.get("STATUS", ""), GatewayState.UNKNOWN),
            gateway_order_id=order_id,
            merchant_id=fields.get("MID") or None,
            amount_paise=amount,
            transaction_id=fields.get("TXNID") or None,
            mode=fields.get("PAYMENTMODE") or None,
            code=fields.get("RESPCODE") or None,
            message=fields.get("RESPMSG") or None,
        )

    async def refund(self, request: RefundRequest) -> GatewayFacts:
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
            return GatewayFacts.unanswered(GATEWAY, exc.detail)
        facts = _refund_facts(answer)
        logger.info("paytm refund %s: %s %s", request.refund_id, facts.state, facts.code or "")
        return facts

    async def fetch_refund_status(self, query: RefundStatusQuery) -> GatewayFacts:
        body = await read_twice(
            lambda: self._read(
                "/v2/refund/status",
                {"mid": self._mid, "orderId": query.gateway_order_id, "refId": query.refund_id},
            )
        )
        return _refund_facts(body)

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


def _state(status: str | None, code: str | None) -> GatewayState:
    # The code goes first: "no record" and "system error" arrive with resultStatus TXN_FAILURE.
    if code in NO_RECORD:
        return GatewayState.NOT_FOUND
    if code in UNKNOWN_CODES:
        return GatewayState.UNKNOWN
    return STATES.get(status or "", GatewayState.UNKNOWN)


# Where a v3 status reply and a refund reply keep the facts: our id, the amount, the gateway's id.
PAYMENT_FIELDS = ("orderId", "txnAmount", "txnId")
REFUND_FIELDS = ("refId", "refundAmount", "refundId")


def _facts(body: Mapping[str, Any], fields: tuple[str, str, str]) -> GatewayFacts:
    """A signed reply body, verbatim."""
    our_id, amount, their_id = fields
    status, code, message = _result_info(body)
    return GatewayFacts(
        GATEWAY,
        _state(status, code),
        gateway_order_id=text_of(body.get(our_id)),
        merchant_id=text_of(body.get("mid")),
        amount_paise=_paise(body.get(amount)),
        transaction_id=text_of(body.get(their_id)),
        mode=text_of(body.get("paymentMode")),
        code=code,
        message=message,
    )


def _refund_facts(body: Mapping[str, Any]) -> GatewayFacts:
    return _facts(body, REFUND_FIELDS)


def _paise(value: object) -> int | None:
    """Paytm's amounts are 2-decimal rupee text; anything else (a number, 1e30, NaN) is no amount."""
    return reported_paise(value) if isinstance(value, str) else None
