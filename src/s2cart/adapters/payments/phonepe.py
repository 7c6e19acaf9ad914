"""PhonePeGateway: Standard Checkout v1 pay, check status, refund, and the server-to-server callback.

Requests carry ``X-VERIFY`` over their base64 payload (or path); callbacks are verified over the
``response`` string exactly as received. Salt keys are kept by index so a rotated key still verifies.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import httpx

from s2cart.adapters.payments import phonepe_signature
from s2cart.adapters.payments.http import NoAnswer, Reply, exchange, read_twice, text_of
from s2cart.adapters.payments.phonepe_replies import data_of, initiate_outcome, paise_amount, signal_of
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
from s2cart.domain.payments.amounts import to_paise
from s2cart.domain.payments.rules import judge_payment, refund_status_for, status_after_initiate
from s2cart.domain.payments.status import GatewaySignal

logger = logging.getLogger("s2cart.payments.phonepe")

PAY_PATH = "/pg/v1/pay"
REFUND_PATH = "/pg/v1/refund"
OPERATIONS = {PAY_PATH: "initiate", REFUND_PATH: "refund"}  # the latency metric's label; status paths carry ids
# A refund that timed out or hit a server error "might get initiated" (PhonePe): unknown, not failed.
REFUND_UNKNOWN_CODES = frozenset({"TIMED_OUT", "INTERNAL_SERVER_ERROR"})
REFUSED_CODES = frozenset({"BAD_REQUEST", "AUTHORIZATION_FAILED"})


class PhonePeGateway:
    name: Final[GatewayName] = "PHONEPE"

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        merchant_id: str,
        salt_key: str,
        salt_index: int,
        clock: Clock,
        redirect_mode: str = "POST",
        retired_salt_keys: Mapping[int, str] | None = None,
    ) -> None:
        self._http = http
        self._mid = merchant_id
        self._salt_key = salt_key
        self._salt_index = salt_index
        self._salt_keys = {**(retired_salt_keys or {}), salt_index: salt_key}
        self._clock = clock
        self._redirect_mode = redirect_mode

    def __repr__(self) -> str:
        return f"PhonePeGateway(merchant_id={self._mid!r}, base_url={str(self._http.base_url)!r})"

    async def initiate(self, request: InitiateRequest) -> InitiateResult:
        payload: dict[str, Any] = {
            "merchantId": self._mid,
            "merchantTransactionId": request.gateway_order_id,
            "merchantUserId": request.customer_id,
            "amount": to_paise(request.amount),
            "redirectUrl": request.redirect_url,
            "redirectMode": self._redirect_mode,
            "callbackUrl": request.callback_url,
        }
        if request.mobile:
            payload["mobileNumber"] = request.mobile
        payload["paymentInstrument"] = {"type": "PAY_PAGE"}
        reply = await self._post(PAY_PATH, payload)
        outcome, url, code, message = initiate_outcome(reply)
        logger.info("phonepe pay %s: %s %s", request.gateway_order_id, outcome, code or "")
        return InitiateResult(
            gateway=self.name,
            gateway_order_id=request.gateway_order_id,
            amount=request.amount,
            outcome=outcome,
            status=status_after_initiate(outcome),
            merchant_id=self._mid,
            redirect_url=url,
            gateway_code=code,
            gateway_message=message,
        )

    async def fetch_status(self, query: StatusQuery) -> StatusResult:
        document = await read_twice(lambda: self._status(query.gateway_order_id))
        data = data_of(document)
        signal = signal_of(document)
        amount = paise_amount(data.get("amount"))
        matches = (
            data.get("merchantId") == self._mid
            and data.get("merchantTransactionId") == query.gateway_order_id
            and amount == query.expected_amount
        )
        now = self._clock.now()
        verdict = judge_payment(signal, details_match=matches, initiated_at=query.initiated_at, now=now)
        if verdict.reason:
            logger.error(
                "phonepe status %s: %s (reported merchant match %s, txn %s, amount %s, expected %s)",
                query.gateway_order_id,
                verdict.reason,
                data.get("merchantId") == self._mid,
                data.get("merchantTransactionId"),
                amount,
                query.expected_amount,
            )
        instrument = data.get("paymentInstrument")
        return StatusResult(
            gateway=self.name,
            gateway_order_id=query.gateway_order_id,
            signal=signal,
            status=verdict.status,
            checked_at=now,
            reason=verdict.reason,
            amount=amount,
            gateway_txn_id=text_of(data.get("transactionId")),
            payment_mode=text_of(instrument.get("type")) if isinstance(instrument, dict) else None,
            gateway_code=text_of(document.get("code")),
            gateway_message=text_of(document.get("message")),
        )

    def verify_callback(self, callback: InboundCallback) -> CallbackNotice:
        try:
            envelope = json.loads(callback.body)
        except ValueError as exc:
            raise InvalidCallback(self.name, "unreadable body") from exc
        response = envelope.get("response") if isinstance(envelope, dict) else None
        if not isinstance(response, str):
            raise InvalidCallback(self.name, "callback without response")
        if not phonepe_signature.verify(response, callback.header("X-VERIFY"), self._salt_keys):
            raise InvalidSignature(self.name, "callback X-VERIFY does not verify")
        try:
            document = json.loads(base64.b64decode(response, validate=True))
        except (ValueError, binascii.Error) as exc:
            raise InvalidCallback(self.name, "callback response unreadable") from exc
        data = data_of(document) if isinstance(document, dict) else {}
        if data.get("merchantId") != self._mid:
            raise InvalidCallback(self.name, "callback names another merchant")
        order_id = data.get("merchantTransactionId")
        if not isinstance(order_id, str) or not order_id:
            raise InvalidCallback(self.name, "callback without merchantTransactionId")
        amount = paise_amount(data.get("amount"))
        if "amount" in data and amount is None:
            raise InvalidCallback(self.name, "callback amount unreadable")
        return CallbackNotice(
            gateway=self.name,
            gateway_order_id=order_id,
            claimed=signal_of(document),
            amount=amount,
            gateway_txn_id=text_of(data.get("transactionId")),
            gateway_code=text_of(document.get("code")),
            gateway_message=text_of(document.get("message")),
        )

    async def refund(self, request: RefundRequest) -> RefundResult:
        payload: dict[str, Any] = {
            "merchantId": self._mid,
            "merchantUserId": request.customer_id,
            "originalTransactionId": request.gateway_order_id,
            "merchantTransactionId": request.refund_id,
            "amount": to_paise(request.amount),
        }
        if request.callback_url:
            payload["callbackUrl"] = request.callback_url
        reply = await self._post(REFUND_PATH, payload)
        document = reply.json_object() if isinstance(reply, Reply) else None
        code = text_of(document.get("code")) if document else None
        if document is None or code is None or code in REFUND_UNKNOWN_CODES:
            # The refund may have been registered: the caller asks its status before asking again.
            reason = reply.reason if isinstance(reply, NoAnswer) else code or "BAD_REPLY"
            logger.warning("phonepe refund %s: outcome unknown (%s)", request.refund_id, reason)
            signal = GatewaySignal.UNKNOWN
        else:
            signal = signal_of(document)
            if signal in (GatewaySignal.UNKNOWN, GatewaySignal.NOT_FOUND) and document.get("success") is False:
                signal = GatewaySignal.FAILURE  # refused outright (bad request, original not found ...)
        logger.info("phonepe refund %s: %s %s", request.refund_id, signal, code or "")
        return self._refund_result(request.refund_id, signal, document or {}, code, request.amount)

    async def fetch_refund_status(self, query: RefundStatusQuery) -> RefundResult:
        document = await read_twice(lambda: self._status(query.refund_id))
        return self._refund_result(query.refund_id, signal_of(document), document, text_of(document.get("code")))

    def _refund_result(
        self,
        refund_id: str,
        signal: GatewaySignal,
        document: Mapping[str, Any],
        code: str | None,
        requested: Decimal | None = None,
    ) -> RefundResult:
        data = data_of(document)
        return RefundResult(
            gateway=self.name,
            refund_id=refund_id,
            signal=signal,
            status=refund_status_for(signal),
            amount=paise_amount(data.get("amount")) or requested,
            gateway_refund_id=text_of(data.get("transactionId")),
            gateway_code=code,
            gateway_message=text_of(document.get("message")),
        )

    async def _post(self, path: str, payload: Mapping[str, Any]) -> Reply | NoAnswer:
        encoded = base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode("ascii")
        return await exchange(
            self._http,
            "POST",
            path,
            gateway=self.name,
            operation=OPERATIONS.get(path, "other"),
            content=json.dumps({"request": encoded}),
            headers={
                "Content-Type": "application/json",
                "X-VERIFY": phonepe_signature.sign(encoded + path, self._salt_key, self._salt_index),
            },
        )

    async def _status(self, transaction_id: str) -> dict[str, Any]:
        path = f"/pg/v1/status/{self._mid}/{transaction_id}"
        reply = await exchange(
            self._http,
            "GET",
            path,
            gateway=self.name,
            operation="status",
            headers={
                "Content-Type": "application/json",
                "X-VERIFY": phonepe_signature.sign(path, self._salt_key, self._salt_index),
                "X-MERCHANT-ID": self._mid,
            },
        )
        if isinstance(reply, NoAnswer):
            raise GatewayUnavailable(self.name, reply.reason)
        document = reply.json_object()
        if document is None or text_of(document.get("code")) is None:
            raise GatewayUnavailable(self.name, "BAD_REPLY")
        code = text_of(document.get("code"))
        if code in REFUSED_CODES:
            logger.error("phonepe status refused S2Cart's request: %s", code)
            raise GatewayRejected(self.name, f"code {code}", gateway_code=code)
        return document
