"""The PhonePe side, Standard Checkout v2: OAuth token, pay, order status, refund, refund status, webhooks.

Served by the same ``PhonePeSimulator`` (same port, same ``/_sim/phonepe`` controls, same ledger) as v1, so an
order knows which protocol created it and is notified in that protocol. Written from PhonePe's documents
(``docs/payments-phonepe-v2.md``), apart from the adapter: tokens are random strings the simulator remembers
with its own expiry, and the webhook's ``Authorization`` is ``sha256hex("username:password")``.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from s2cart.simulators import signing
from s2cart.simulators.asgi import Request, Response, Router, json_response
from s2cart.simulators.base import corrupt
from s2cart.simulators.state import Order, Refund

if TYPE_CHECKING:
    from s2cart.simulators.phonepe import PhonePeSimulator

TOKEN_PATH = "/v1/oauth/token"
ORDER_ID = re.compile(r"[A-Za-z0-9_-]{1,62}")  # "less than 63 characters"
WRONG_MID = "WRONGMERCHANT"
STATES = {  # ledger state -> PhonePe v2 order state
    "SUCCESS": "COMPLETED",
    "FAILURE": "FAILED",
    "PENDING": "PENDING",
    "CREATED": "PENDING",
    "ABANDONED": "FAILED",
}
EVENTS = {"COMPLETED": "checkout.order.completed", "FAILED": "checkout.order.failed"}
REFUND_STATES = {"SUCCESS": "COMPLETED", "FAILURE": "FAILED", "PENDING": "PENDING"}


def _error(status: int, code: str, message: str) -> Response:
    return json_response({"code": code, "message": message}, status)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass
class V2Credentials:
    client_id: str
    client_secret: str
    client_version: str
    webhook_username: str
    webhook_password: str
    webhook_url: str | None = None  # what the merchant configured on the dashboard
    token_seconds: int = 3600
    tokens: dict[str, datetime] = field(default_factory=dict)  # access token -> expiry

    def __repr__(self) -> str:
        return f"V2Credentials(client_id={self.client_id!r})"


class PhonePeV2Api:
    def __init__(self, simulator: PhonePeSimulator, credentials: V2Credentials) -> None:
        self._sim = simulator
        self.credentials = credentials

    def add_routes(self, router: Router) -> None:
        def route(endpoint: str, handler: Any) -> Any:
            return lambda request: self._sim.guarded(endpoint, request, handler)

        router.add("POST", TOKEN_PATH, route("token", self._token))
        router.add("POST", "/checkout/v2/pay", route("initiate", self._authorized(self._pay)))
        router.add("GET", "/checkout/v2/order/{order_id}/status", route("status", self._authorized(self._status)))
        router.add("POST", "/payments/v2/refund", route("refund", self._authorized(self._refund)))
        refund_status = route("refund_status", self._authorized(self._refund_status))
        router.add("GET", "/payments/v2/refund/{refund_id}/status", refund_status)
        router.add("POST", "/_sim/phonepe/v2/revoke-tokens", self._revoke)

    async def _revoke(self, request: Request) -> Response:
        """Test control: every token issued so far stops working (as after a key rotation)."""
        self.credentials.tokens.clear()
        return json_response({"status": "revoked"})

    # --- authorization ---------------------------------------------------------------------------------

    async def _token(self, request: Request) -> Response:
        form = request.form()
        creds = self.credentials
        if form.get("grant_type") != "client_credentials":
            return _error(400, "BAD_REQUEST", "grant_type must be client_credentials")
        given = (form.get("client_id", ""), form.get("client_secret", ""), form.get("client_version", ""))
        expected = (creds.client_id, creds.client_secret, creds.client_version)
        if not all(secrets.compare_digest(a.encode(), b.encode()) for a, b in zip(given, expected, strict=True)):
            return json_response({"errorCode": "INVALID_CLIENT", "message": "Client authentication failure"}, 401)
        now = self._sim.now()
        token = secrets.token_urlsafe(24)
        expires = now + timedelta(seconds=creds.token_seconds)
        creds.tokens[token] = expires
        issued, expiry = int(now.timestamp()), int(expires.timestamp())
        return json_response(
            {
                "access_token": token,
                "encrypted_access_token": secrets.token_urlsafe(24),
                "expires_in": creds.token_seconds,
                "issued_at": issued,
                "expires_at": expiry,
                "session_expires_at": expiry,
                "token_type": "O-Bearer",
            }
        )

    def _authorized(self, handler: Any) -> Any:
        async def check(request: Request) -> Response:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            expires = self.credentials.tokens.get(token)
            if scheme != "O-Bearer" or expires is None or self._sim.now() >= expires:
                return json_response({"errorCode": "401", "message": "Unauthorized"}, 401)
            response: Response = await handler(request)
            return response

        return check

    # --- payments --------------------------------------------------------------------------------------

    async def _pay(self, request: Request) -> Response:
        try:
            body = request.json()
            problem = _invalid_pay(body)
        except (ValueError, TypeError, AttributeError):
            return _error(400, "BAD_REQUEST", "Bad Request")
        if problem:
            return _error(400, "BAD_REQUEST", f"Bad Request - Validation Failed: {problem}")
        order_id = body["merchantOrderId"]
        order = self._sim.ledger.orders.get(order_id)
        if order is not None and order.request_text != request.text:
            return _error(400, "BAD_REQUEST", "Duplicate merchantOrderId")
        if order is None:
            order = Order(
                order_id=order_id,
                amount=Decimal(body["amount"]).scaleb(-2),
                customer_id="",
                callback_url=self.credentials.webhook_url or "",
                redirect_url=body["paymentFlow"]["merchantUrls"]["redirectUrl"],
                redirect_mode="REDIRECT",
                token=self._sim.ledger.new_id("TKN"),
                request_text=request.text,
                created_at=self._sim.now(),
                protocol="v2",
            )
            self._sim.ledger.orders[order_id] = order
        expire = order.created_at + timedelta(seconds=int(body.get("expireAfter") or 1200))
        return json_response(
            {
                "orderId": _phonepe_order_id(order),
                "state": "PENDING",
                "expireAt": _ms(expire),
                "redirectUrl": f"{request.base_url}/_sim/phonepe/pay/{order.token}",
            }
        )

    async def _status(self, request: Request) -> Response:
        order = self._sim.ledger.orders.get(request.params["order_id"])
        if order is None or order.protocol != "v2":
            return _error(404, "ORDER_NOT_FOUND", "No order found with the given merchantOrderId")
        self._sim.advance(order)
        response = json_response(self.order_view(order))
        if order.scenario.status_hangs:
            response.hold_seconds = self._sim.hold_seconds
        return response

    def order_view(self, order: Order) -> dict[str, Any]:
        state = STATES[order.state]
        paise = int(Decimal(order.scenario.amount_override or order.amount).scaleb(2))
        view: dict[str, Any] = {
            "orderId": _phonepe_order_id(order),
            "state": state,
            "amount": paise,
            "expireAt": _ms(order.created_at + timedelta(minutes=20)),
            "metaInfo": {},
            "paymentDetails": [],
        }
        if state == "FAILED":
            view["errorCode"] = "PAYMENT_ERROR" if order.state == "FAILURE" else "TXN_AUTO_FAILED"
        if order.txn_id:
            attempt: dict[str, Any] = {
                "transactionId": order.txn_id,
                "paymentMode": "UPI_INTENT",
                "timestamp": _ms(order.paid_at or order.created_at),
                "amount": paise,
                "payableAmount": paise,
                "feeAmount": 0,
                "state": state,
            }
            if state == "FAILED":
                attempt["errorCode"] = view["errorCode"]
            view["paymentDetails"].append(attempt)
        return view

    def webhook(self, order: Order) -> tuple[str, dict[str, str]]:
        view = self.order_view(order)
        merchant = WRONG_MID if order.scenario.wrong_mid else self._sim.merchant_id
        payload = {"merchantId": merchant, "merchantOrderId": order.order_id, **view}
        event = EVENTS.get(view["state"], "checkout.transaction.attempt.failed")
        creds = self.credentials
        authorization = signing.webhook_authorization(creds.webhook_username, creds.webhook_password)
        if order.scenario.tamper_signature:
            authorization = corrupt(authorization)
        body = json.dumps({"event": event, "payload": payload}, separators=(",", ":"))
        return body, {"Content-Type": "application/json", "Authorization": authorization}

    # --- refunds ---------------------------------------------------------------------------------------

    async def _refund(self, request: Request) -> Response:
        try:
            body = request.json()
            refund_id, amount = body["merchantRefundId"], body["amount"]
            order = self._sim.ledger.orders.get(str(body["originalMerchantOrderId"]))
        except (ValueError, TypeError, KeyError, AttributeError):
            return _error(400, "BAD_REQUEST", "Bad Request")
        if not isinstance(refund_id, str) or not ORDER_ID.fullmatch(refund_id):
            return _error(400, "BAD_REQUEST", "Bad Request - Validation Failed: merchantRefundId")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 100:
            return _error(400, "BAD_REQUEST", "Bad Request - Validation Failed: amount")
        if order is None or order.protocol != "v2" or order.state != "SUCCESS":
            return _error(400, "INVALID_TRANSACTION", "Original order not found or not completed")
        if refund_id in self._sim.ledger.refunds:
            return _error(409, "DUPLICATE_REQUEST", "merchantRefundId already used")
        rupees = Decimal(amount).scaleb(-2)
        if rupees > order.amount - order.refunded:
            return _error(400, "INVALID_REFUND_AMOUNT", "Refund amount exceeds the refundable amount")
        refund = Refund(
            refund_id=refund_id,
            order_id=order.order_id,
            amount=rupees,
            gateway_refund_id=self._sim.ledger.new_id("OMR"),
            created_at=self._sim.now(),
            outcome=self._sim.ledger.scenario_for(order).refund_outcome,
        )
        self._sim.ledger.refunds[refund_id] = refund
        order.refunded += rupees
        return json_response({"refundId": refund.gateway_refund_id, "amount": amount, "state": "PENDING"})

    async def _refund_status(self, request: Request) -> Response:
        refund = self._sim.ledger.refunds.get(request.params["refund_id"])
        if refund is None:
            return _error(404, "REFUND_NOT_FOUND", "No refund found with the given merchantRefundId")
        state = REFUND_STATES[self._sim.ledger.poll_refund(refund)]
        answer: dict[str, Any] = {
            "originalMerchantOrderId": refund.order_id,
            "amount": int(refund.amount.scaleb(2)),
            "state": state,
            "timestamp": _ms(refund.created_at),
            "refundId": refund.gateway_refund_id,
        }
        if state == "FAILED":
            answer["errorCode"] = "REFUND_FAILED"
        return json_response(answer)


def _phonepe_order_id(order: Order) -> str:
    return f"OMO{order.token[3:]}"


def _invalid_pay(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "body"
    order_id, amount, flow = body.get("merchantOrderId"), body.get("amount"), body.get("paymentFlow")
    if not isinstance(order_id, str) or not ORDER_ID.fullmatch(order_id):
        return "merchantOrderId"
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 100:
        return "amount"
    if not isinstance(flow, dict) or flow.get("type") != "PG_CHECKOUT":
        return "paymentFlow.type"
    urls = flow.get("merchantUrls")
    redirect = urls.get("redirectUrl") if isinstance(urls, dict) else None
    if not isinstance(redirect, str) or not redirect.startswith(("http://", "https://")):
        return "paymentFlow.merchantUrls.redirectUrl"
    expire_after = body.get("expireAfter")
    if expire_after is not None and (not isinstance(expire_after, int) or not 300 <= expire_after <= 3600):
        return "expireAfter"
    return None
