"""The PhonePe side (Standard Checkout v1): pay, the pay page, check status, refund, and S2S callbacks.

With v2 credentials it also serves Standard Checkout v2 (``phonepe_v2.py``) on the same routes' host.

Requests are verified with ``X-VERIFY`` over the base64 payload plus the path (the path alone for status);
callbacks are ``{"response": base64}`` signed over that string. Refunds are transactions of their own, so
the status API answers for a refund's id too.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from s2cart.simulators import signing
from s2cart.simulators.asgi import (
    Request,
    Response,
    Router,
    html_response,
    json_response,
    redirect_response,
)
from s2cart.simulators.base import AUTO_SUBMIT, GatewaySimulator, corrupt
from s2cart.simulators.phonepe_v2 import PhonePeV2Api, V2Credentials
from s2cart.simulators.state import Ledger, Order, Refund

TXN_ID = re.compile(r"[A-Za-z0-9_-]{1,34}")
USER_ID = re.compile(r"[A-Za-z0-9_-]{1,35}")
WRONG_MID = "WRONGMERCHANT"
ABANDONED_AFTER = timedelta(minutes=20)
STATES = {  # order/refund state -> (data.state, code)
    "SUCCESS": ("COMPLETED", "PAYMENT_SUCCESS"),
    "FAILURE": ("FAILED", "PAYMENT_ERROR"),
    "PENDING": ("PENDING", "PAYMENT_PENDING"),
    "CREATED": ("PENDING", "PAYMENT_PENDING"),
    "ABANDONED": ("FAILED", "TIMED_OUT"),
}


def _answer(success: bool, code: str, message: str, data: Any = None, status: int = 200) -> Response:
    body: dict[str, Any] = {"success": success, "code": code, "message": message}
    if data is not None:
        body["data"] = data
    return json_response(body, status)


def _bad_request(message: str = "Please check the inputs you have provided.") -> Response:
    return _answer(False, "BAD_REQUEST", message, status=400)


def _unauthorized() -> Response:
    return _answer(False, "AUTHORIZATION_FAILED", "Authorization failed [X-VERIFY]", status=401)


class PhonePeSimulator(GatewaySimulator):
    name = "phonepe"

    def __init__(
        self,
        *,
        merchant_id: str,
        salt_key: str,
        salt_index: int = 1,
        ledger: Ledger | None = None,
        hold_seconds: float = 2.0,
        v2: V2Credentials | None = None,
    ) -> None:
        super().__init__(ledger, hold_seconds=hold_seconds)
        self.merchant_id = merchant_id
        self._salt_key = salt_key
        self._salt_index = salt_index
        self.v2 = PhonePeV2Api(self, v2) if v2 is not None else None

    @property
    def merchant(self) -> str:
        return self.merchant_id

    def add_gateway_routes(self, router: Router) -> None:
        def route(endpoint: str, handler: Any) -> Any:
            return lambda request: self.guarded(endpoint, request, handler)

        router.add("POST", "/pg/v1/pay", route("initiate", self._pay_api))
        router.add("GET|POST", "/_sim/phonepe/pay/{token}", route("pay", self._pay_page))
        router.add("GET", "/pg/v1/status/{merchant_id}/{txn_id}", self._status_route)
        router.add("POST", "/pg/v1/refund", route("refund", self._refund))
        if self.v2 is not None:
            self.v2.add_routes(router)

    def _payload(self, request: Request, path: str) -> dict[str, Any] | Response:
        try:
            encoded = request.json()["request"]
            if not signing.x_verify_ok(
                encoded + path, request.headers.get("x-verify"), self._salt_key, self._salt_index
            ):
                return _unauthorized()
            payload = json.loads(base64.b64decode(encoded.encode("ascii"), validate=True))
        except (ValueError, TypeError, KeyError, binascii.Error, UnicodeError):
            return _bad_request()
        if not isinstance(payload, dict) or payload.get("merchantId") != self.merchant_id:
            return _bad_request()
        payload["_encoded"] = encoded
        return payload

    # --- payments --------------------------------------------------------------------------------------

    async def _pay_api(self, request: Request) -> Response:
        payload = self._payload(request, "/pg/v1/pay")
        if isinstance(payload, Response):
            return payload
        problem = _invalid_pay(payload)
        if problem:
            return _bad_request(f"Please check the inputs you have provided: {problem}")
        txn_id = payload["merchantTransactionId"]
        order = self.ledger.orders.get(txn_id)
        if order is not None and order.request_text != payload["_encoded"]:
            return _bad_request("Duplicate merchantTransactionId")
        if order is None:
            order = Order(
                order_id=txn_id,
                amount=Decimal(payload["amount"]).scaleb(-2),
                customer_id=payload["merchantUserId"],
                callback_url=payload["callbackUrl"],
                redirect_url=payload["redirectUrl"],
                redirect_mode=payload["redirectMode"],
                token=self.ledger.new_id("TKN"),
                request_text=payload["_encoded"],
                created_at=self.now(),
            )
            self.ledger.orders[txn_id] = order
        url = f"{request.base_url}/_sim/phonepe/pay/{order.token}"
        data = {
            "merchantId": self.merchant_id,
            "merchantTransactionId": txn_id,
            "instrumentResponse": {"type": "PAY_PAGE", "redirectInfo": {"url": url, "method": "GET"}},
        }
        return _answer(True, "PAYMENT_INITIATED", "Payment initiated", data)

    async def _pay_page(self, request: Request) -> Response:
        order = next((o for o in self.ledger.orders.values() if o.token == request.params["token"]), None)
        if order is None:
            return html_response("<h1>Unknown payment</h1>", 404)
        await self.pay(order, self.ledger.scenario_for(order))
        code = STATES[order.state][1]
        if order.redirect_mode == "REDIRECT" and order.redirect_url:
            return redirect_response(order.redirect_url)
        fields = {
            "code": code,
            "merchantId": self.merchant_id,
            "transactionId": order.order_id,
            "amount": str(int(order.amount.scaleb(2))),
            "providerReferenceId": order.txn_id or "",
        }
        inputs = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in fields.items())
        action = html.escape(order.redirect_url or "")
        return html_response(f'<form method="post" action="{action}">{inputs}</form>{AUTO_SUBMIT}')

    async def _status_route(self, request: Request) -> Response:
        endpoint = "refund_status" if request.params["txn_id"] in self.ledger.refunds else "status"
        return await self.guarded(endpoint, request, self._status)

    async def _status(self, request: Request) -> Response:
        merchant, txn_id = request.params["merchant_id"], request.params["txn_id"]
        if not signing.x_verify_ok(request.path, request.headers.get("x-verify"), self._salt_key, self._salt_index):
            return _unauthorized()
        if merchant != self.merchant_id or request.headers.get("x-merchant-id") != merchant:
            return _unauthorized()
        refund = self.ledger.refunds.get(txn_id)
        if refund is not None:
            state, code = STATES[self.ledger.poll_refund(refund)]
            return _answer(
                state != "FAILED",
                code,
                "Your request has been successfully completed.",
                _refund_data(refund, self.merchant_id, state, code),
            )
        order = self.ledger.orders.get(txn_id)
        if order is None or order.protocol != "v1":
            return _answer(False, "TRANSACTION_NOT_FOUND", "No Transaction found with the given details.")
        self.advance(order)
        response = self._status_answer(order)
        if order.scenario.status_hangs:
            response.hold_seconds = self.hold_seconds
        return response

    def advance(self, order: Order) -> None:
        """A status call looks: an untouched order is abandoned after 20 minutes, a pending one may settle."""
        if order.state == "CREATED" and self.now() - order.created_at >= ABANDONED_AFTER:
            order.state = "ABANDONED"
        elif order.state != "CREATED":
            self.ledger.poll(order)

    def _status_answer(self, order: Order) -> Response:
        state, code = STATES[order.state]
        scenario = order.scenario
        data: dict[str, Any] = {
            "merchantId": WRONG_MID if scenario.wrong_mid else self.merchant_id,
            "merchantTransactionId": order.order_id,
            "transactionId": order.txn_id,
            "amount": int(Decimal(scenario.amount_override or order.amount).scaleb(2)),
            "state": state,
            "responseCode": "SUCCESS" if state == "COMPLETED" else code,
        }
        if order.txn_id:
            data["paymentInstrument"] = {"type": "UPI", "utr": f"4015{order.txn_id[-8:]}"}
        return _answer(state != "FAILED", code, "Your request has been successfully completed.", data)

    def notification(self, order: Order) -> tuple[str, dict[str, str]]:
        if order.protocol == "v2" and self.v2 is not None:
            return self.v2.webhook(order)
        encoded = base64.b64encode(self._status_answer(order).body).decode("ascii")
        header = signing.x_verify(encoded, self._salt_key, self._salt_index)
        if order.scenario.tamper_signature:
            header = corrupt(header)
        return json.dumps({"response": encoded}), {"Content-Type": "application/json", "X-VERIFY": header}

    # --- refunds ---------------------------------------------------------------------------------------

    async def _refund(self, request: Request) -> Response:
        payload = self._payload(request, "/pg/v1/refund")
        if isinstance(payload, Response):
            return payload
        refund_id, amount = payload.get("merchantTransactionId"), payload.get("amount")
        order = self.ledger.orders.get(str(payload.get("originalTransactionId")))
        if order is None or order.state == "CREATED":
            return _answer(False, "TRANSACTION_NOT_FOUND", "No Transaction found with the given details.")
        if not isinstance(refund_id, str) or not TXN_ID.fullmatch(refund_id):
            return _bad_request()
        if refund_id in self.ledger.refunds or refund_id in self.ledger.orders or order.state != "SUCCESS":
            return _bad_request()
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 100:
            return _bad_request()
        rupees = Decimal(amount).scaleb(-2)
        if rupees > order.amount - order.refunded:
            return _answer(False, "PAYMENT_ERROR", "EXCESS_REFUND_AMOUNT")
        refund = Refund(
            refund_id=refund_id,
            order_id=order.order_id,
            amount=rupees,
            gateway_refund_id=self.ledger.new_id("TR"),
            created_at=self.now(),
            outcome=self.ledger.scenario_for(order).refund_outcome,
        )
        self.ledger.refunds[refund_id] = refund
        order.refunded += rupees
        state, code = STATES["PENDING"]
        return _answer(
            True,
            code,
            "Your request has been successfully completed.",
            _refund_data(refund, self.merchant_id, state, code),
        )


def _refund_data(refund: Refund, merchant_id: str, state: str, code: str) -> dict[str, Any]:
    return {
        "merchantId": merchant_id,
        "merchantTransactionId": refund.refund_id,
        "transactionId": refund.gateway_refund_id,
        "amount": int(refund.amount.scaleb(2)),
        "state": state,
        "responseCode": code,
    }


def _invalid_pay(payload: dict[str, Any]) -> str | None:
    amount = payload.get("amount")
    if not isinstance(payload.get("merchantTransactionId"), str) or not TXN_ID.fullmatch(
        payload["merchantTransactionId"]
    ):
        return "merchantTransactionId"
    if not isinstance(payload.get("merchantUserId"), str) or not USER_ID.fullmatch(payload["merchantUserId"]):
        return "merchantUserId"
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 100:
        return "amount"
    for url in ("redirectUrl", "callbackUrl"):
        if not isinstance(payload.get(url), str) or not payload[url].startswith(("http://", "https://")):
            return url
    if payload.get("redirectMode") not in ("REDIRECT", "POST"):
        return "redirectMode"
    if payload.get("paymentInstrument") != {"type": "PAY_PAGE"}:
        return "paymentInstrument"
    mobile = payload.get("mobileNumber")
    if mobile is not None and not (isinstance(mobile, str) and re.fullmatch(r"\d{10}", mobile)):
        return "mobileNumber"
    return None
