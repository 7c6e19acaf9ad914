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
from typing import Any, Final

import httpx

from s2cart.adapters.payments import phonepe_signature
from s2cart.adapters.payments.http import NoAnswer, Reply, exchange, read_twice, text_of
from s2cart.adapters.payments.phonepe_replies import GATEWAY, data_of, facts_of, pay_answer, state_of
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
from s2cart.domain.payments.amounts import to_paise
from s2cart.domain.payments.facts import GatewayFacts, GatewayState

logger = logging.getLogger("s2cart.payments.phonepe")

PAY_PATH = "/pg/v1/pay"
REFUND_PATH = "/pg/v1/refund"
OPERATIONS = {PAY_PATH: "initiate", REFUND_PATH: "refund"}  # the latency metric's label; status paths carry ids
# A refund that timed out or hit a server error "might get initiated" (PhonePe): unknown, not failed.
REFUND_UNKNOWN_CODES = frozenset({"TIMED_OUT", "INTERNAL_SERVER_ERROR"})
REFUSED_CODES = frozenset({"BAD_REQUEST", "AUTHORIZATION_FAILED"})
# A callback is {"response": "<base64 of a ~500-byte JSON>"}: anything far larger is not PhonePe's.
MAX_CALLBACK_BYTES = 32 * 1024


class PhonePeGateway:
    name: Final[GatewayName] = "PHONEPE"

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        merchant_id: str,
        salt_key: str,
        salt_index: int,
        redirect_mode: str = "POST",
        retired_salt_keys: Mapping[int, str] | None = None,
    ) -> None:
        self._http = http
        self._mid = merchant_id
        self._salt_key = salt_key
        self._salt_index = salt_index
        self._salt_keys = {**(retired_salt_keys or {}), salt_index: salt_key}
        self._redirect_mode = redirect_mode

    def __repr__(self) -> str:
        return f"PhonePeGateway(merchant_id={self._mid!r}, base_url={str(self._http.base_url)!r})"

    @property
    def merchant_id(self) -> str:
        return self._mid

    async def initiate(self, request: InitiateRequest) -> GatewayFacts:
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
        answer = pay_answer(await self._post(PAY_PATH, payload))
        logger.info("phonepe pay %s: %s %s", request.gateway_order_id, answer.state, answer.code or "")
        return answer

    async def fetch_status(self, query: StatusQuery) -> GatewayFacts:
        return facts_of(await read_twice(lambda: self._status(query.gateway_order_id)))

    def verify_callback(self, callback: InboundCallback) -> GatewayFacts:
        """Cheap checks first (size, the X-VERIFY header's shape and salt index), then the envelope, then the
        signature over its ``response``; only a verified ``response`` is decoded. Every failure is a 4xx."""
        if len(callback.body) > MAX_CALLBACK_BYTES:
            raise InvalidCallback(self.name, "callback too large")
        header = callback.header("X-VERIFY")
        if not phonepe_signature.well_formed(header, self._salt_keys):
            raise InvalidSignature(self.name, "callback X-VERIFY missing, malformed or of an unknown salt index")
        envelope = _json(callback.body)
        response = envelope.get("response") if isinstance(envelope, dict) else None
        if not isinstance(response, str):
            raise InvalidCallback(self.name, "callback without response")
        if not phonepe_signature.verify(response, header, self._salt_keys):
            raise InvalidSignature(self.name, "callback X-VERIFY does not verify")
        try:
            decoded = base64.b64decode(response, validate=True)
        except (ValueError, binascii.Error) as exc:
            raise InvalidCallback(self.name, "callback response unreadable") from exc
        document = _json(decoded)
        if not isinstance(document, dict):
            raise InvalidCallback(self.name, "callback response unreadable")
        claim = facts_of(document)
        if not claim.gateway_order_id:
            raise InvalidCallback(self.name, "callback without merchantTransactionId")
        if "amount" in data_of(document) and claim.amount_paise is None:
            raise InvalidCallback(self.name, "callback amount unreadable")
        return claim

    async def refund(self, request: RefundRequest) -> GatewayFacts:
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
            return GatewayFacts.unanswered(GATEWAY, reason)
        state = state_of(document)
        if state in (GatewayState.UNKNOWN, GatewayState.NOT_FOUND) and document.get("success") is False:
            state = GatewayState.FAILURE  # refused outright (bad request, original not found ...)
        logger.info("phonepe refund %s: %s %s", request.refund_id, state, code)
        return facts_of(document, state)

    async def fetch_refund_status(self, query: RefundStatusQuery) -> GatewayFacts:
        return facts_of(await read_twice(lambda: self._status(query.refund_id)))

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


def _json(text: bytes) -> Any:
    """Parsed JSON; anything unreadable (including nesting deep enough to exhaust the parser) is a 400."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidCallback(GATEWAY, "unreadable JSON") from exc
