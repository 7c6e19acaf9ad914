"""The Paytm side: Initiate Transaction, the payment page, Transaction Status v3, Refund and Refund Status.

Every JSON request is verified over the exact text of its ``body`` (found the way the protocol note says:
locate ``"body":`` and let the JSON decoder find where the value ends); every reply is signed the same way.
Paytm answers HTTP 200 even when it refuses; the verdict is in ``body.resultInfo``.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode

from s2cart.simulators import signing
from s2cart.simulators.asgi import Request, Response, Router, html_response
from s2cart.simulators.base import AUTO_SUBMIT, GatewaySimulator, corrupt
from s2cart.simulators.state import Ledger, Order, Refund

ORDER_ID = re.compile(r"[A-Za-z0-9@\-_.]{1,50}")
RUPEES = re.compile(r"\d{1,9}\.\d{2}")
WRONG_MID = "WRONGMID000000000000"
PAYMENT_RESULTS = {
    "SUCCESS": ("TXN_SUCCESS", "01", "Txn Success"),
    "FAILURE": ("TXN_FAILURE", "227", "Your payment has been declined by your bank."),
    "PENDING": ("PENDING", "402", "Looks like the payment is not complete. Please wait while we confirm."),
}
REFUND_RESULTS = {
    "SUCCESS": ("TXN_SUCCESS", "10", "Refund Successfull"),
    "FAILURE": ("TXN_FAILURE", "620", "Refund failed"),
    "PENDING": ("PENDING", "601", "Refund request was raised for this transaction. But it is pending state"),
}


def _info(status: str, code: str, message: str) -> dict[str, Any]:
    return {"resultInfo": {"resultStatus": status, "resultCode": code, "resultMsg": message}}


class PaytmSimulator(GatewaySimulator):
    name = "paytm"

    def __init__(
        self,
        *,
        mid: str,
        merchant_key: str,
        website: str = "WEBSTAGING",
        ledger: Ledger | None = None,
        hold_seconds: float = 2.0,
    ) -> None:
        super().__init__(ledger, hold_seconds=hold_seconds)
        self.mid = mid
        self._key = merchant_key
        self.website = website

    @property
    def merchant(self) -> str:
        return self.mid

    def add_gateway_routes(self, router: Router) -> None:
        def route(endpoint: str, handler: Any) -> Any:
            return lambda request: self.guarded(endpoint, request, handler)

        for path in ("/theia/api/v1/initiateTransaction", "/order/initiate"):
            router.add("POST", path, route("initiate", self._initiate))
        router.add("POST", "/theia/api/v1/showPaymentPage", route("pay", self._payment_page))
        router.add("POST", "/v3/order/status", route("status", self._status))
        router.add("POST", "/refund/apply", route("refund", self._refund))
        router.add("POST", "/v2/refund/status", route("refund_status", self._refund_status))

    # --- the signed envelope -------------------------------------------------------------------------

    def _verified_body(self, request: Request) -> tuple[str, dict[str, Any]] | dict[str, Any]:
        """The request body text and value, or the refusal to send back."""
        text = request.text
        at = text.find('"body":')
        if at < 0:
            return _info("F", "1001", "Request parameters are not valid")
        start = at + len('"body":')
        while start < len(text) and text[start] in " \t\r\n":
            start += 1
        try:
            body, end = json.JSONDecoder().raw_decode(text, start)
            head = json.loads(text).get("head") or {}
        except (ValueError, AttributeError):
            return _info("F", "1001", "Request parameters are not valid")
        if not isinstance(body, dict) or not signing.paytm_checksum_ok(
            text[start:end], self._key, head.get("signature")
        ):
            return _info("F", "2005", "Checksum provided is invalid")
        return text[start:end], body

    def _reply(self, body: dict[str, Any]) -> Response:
        text = json.dumps(body, separators=(",", ":"))
        head = {
            "responseTimestamp": str(int(self.now().timestamp() * 1000)),
            "version": "v1",
            "signature": signing.paytm_checksum(text, self._key),
        }
        return Response(200, f'{{"head":{json.dumps(head)},"body":{text}}}'.encode())

    # --- payments --------------------------------------------------------------------------------------

    async def _initiate(self, request: Request) -> Response:
        verified = self._verified_body(request)
        if isinstance(verified, dict):
            return self._reply(verified)
        text, body = verified
        order_id = request.query.get("orderId")
        if request.query.get("mid") != self.mid or body.get("mid") != self.mid:
            return self._reply(_info("F", "2013", "Mid in the query param doesn't match the request"))
        if body.get("orderId") != order_id or not ORDER_ID.fullmatch(order_id or ""):
            return self._reply(_info("F", "2014", "OrderId in the query param doesn't match the request"))
        problem = self._invalid_initiate(body)
        if problem:
            return self._reply(_info("F", "1001", f"Request parameters are not valid: {problem}"))
        assert order_id is not None
        existing = self.ledger.orders.get(order_id)
        if existing is not None:
            if existing.request_text != text:
                return self._reply(_info("F", "325", "Duplicate Order Id"))
            return self._reply({**_info("S", "0002", "Success Idempotent"), "txnToken": existing.token})
        order = Order(
            order_id=order_id,
            amount=Decimal(body["txnAmount"]["value"]),
            customer_id=body["userInfo"]["custId"],
            callback_url=str(body.get("callbackUrl") or ""),
            token=self.ledger.new_id("TKN"),
            request_text=text,
            created_at=self.now(),
        )
        self.ledger.orders[order_id] = order
        return self._reply(
            {
                **_info("S", "0000", "Success"),
                "txnToken": order.token,
                "isPromoCodeValid": False,
                "authenticated": False,
            }
        )

    def _invalid_initiate(self, body: dict[str, Any]) -> str | None:
        amount = body.get("txnAmount")
        user = body.get("userInfo")
        if body.get("requestType") != "Payment":
            return "requestType"
        if body.get("websiteName") != self.website:
            return "websiteName"
        if not isinstance(amount, dict) or amount.get("currency") != "INR":
            return "txnAmount"
        value = amount.get("value")
        if not isinstance(value, str) or not RUPEES.fullmatch(value) or Decimal(value) <= 0:
            return "txnAmount.value"
        if not isinstance(user, dict) or not isinstance(user.get("custId"), str) or not user["custId"]:
            return "userInfo.custId"
        return None

    async def _payment_page(self, request: Request) -> Response:
        form = {**request.query, **request.form()}
        order = self.ledger.orders.get(form.get("orderId", ""))
        if order is None or form.get("txnToken") != order.token or form.get("mid") != self.mid:
            return html_response("<h1>Invalid transaction token</h1>", 400)
        await self.pay(order, self.ledger.scenario_for(order))
        body, _ = self.notification(order)
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in _form_pairs(body)
        )
        action = html.escape(order.callback_url)
        return html_response(f'<form method="post" action="{action}">{inputs}</form>{AUTO_SUBMIT}')

    async def _status(self, request: Request) -> Response:
        verified = self._verified_body(request)
        if isinstance(verified, dict):
            return self._reply(verified)
        _, body = verified
        if body.get("mid") != self.mid:
            return self._reply(_info("TXN_FAILURE", "335", "Mid is invalid"))
        order = self.ledger.orders.get(str(body.get("orderId")))
        if order is None or order.state == "CREATED":
            return self._reply(_info("TXN_FAILURE", "331", "No Record Found"))
        reply = self._reply({**_info(*PAYMENT_RESULTS[self.ledger.poll(order)]), **self._facts(order)})
        if order.scenario.status_hangs:
            reply.hold_seconds = self.hold_seconds
        return reply

    def _facts(self, order: Order) -> dict[str, Any]:
        scenario = order.scenario
        return {
            "txnId": order.txn_id,
            "bankTxnId": f"777{order.txn_id}",
            "orderId": order.order_id,
            "txnAmount": scenario.amount_override or f"{order.amount:.2f}",
            "txnType": "SALE",
            "gatewayName": "HDFC",
            "bankName": "",
            "mid": WRONG_MID if scenario.wrong_mid else self.mid,
            "paymentMode": "UPI",
            "refundAmt": f"{order.refunded:.2f}",
            "txnDate": f"{order.paid_at or order.created_at:%Y-%m-%d %H:%M:%S}.0",
        }

    def notification(self, order: Order) -> tuple[str, dict[str, str]]:
        facts = self._facts(order)
        status, code, message = PAYMENT_RESULTS.get(order.state, PAYMENT_RESULTS["PENDING"])
        fields = {
            "BANKNAME": facts["bankName"],
            "BANKTXNID": facts["bankTxnId"],
            "CURRENCY": "INR",
            "GATEWAYNAME": facts["gatewayName"],
            "MID": facts["mid"],
            "ORDERID": order.order_id,
            "PAYMENTMODE": facts["paymentMode"],
            "RESPCODE": code,
            "RESPMSG": message,
            "STATUS": status,
            "TXNAMOUNT": facts["txnAmount"],
            "TXNDATE": facts["txnDate"],
            "TXNID": facts["txnId"] or "",
        }
        checksum = signing.paytm_checksum(signing.paytm_params_text(fields), self._key)
        if order.scenario.tamper_signature:
            checksum = corrupt(checksum)
        body = urlencode({**fields, "CHECKSUMHASH": checksum})
        return body, {"Content-Type": "application/x-www-form-urlencoded"}

    # --- refunds ---------------------------------------------------------------------------------------

    async def _refund(self, request: Request) -> Response:
        verified = self._verified_body(request)
        if isinstance(verified, dict):
            return self._reply(verified)
        _, body = verified
        order = self.ledger.orders.get(str(body.get("orderId")))
        ref_id, value = str(body.get("refId") or ""), body.get("refundAmount")
        if body.get("mid") != self.mid:
            return self._reply(_info("TXN_FAILURE", "335", "Mid is invalid"))
        if order is None or order.state == "CREATED":
            return self._reply(_info("TXN_FAILURE", "631", "Record not found"))
        if body.get("txnType") != "REFUND" or order.state != "SUCCESS" or body.get("txnId") != order.txn_id:
            return self._reply(_info("TXN_FAILURE", "627", "Order Details Mismatch"))
        if not ORDER_ID.fullmatch(ref_id) or ref_id in self.ledger.refunds:
            return self._reply(_info("TXN_FAILURE", "617", "Refund Already Raised"))
        if not isinstance(value, str) or not RUPEES.fullmatch(value):
            return self._reply(_info("TXN_FAILURE", "619", "Invalid refund amount"))
        amount = Decimal(value)
        if amount <= 0 or amount > order.amount - order.refunded:
            return self._reply(_info("TXN_FAILURE", "619", "Invalid refund amount"))
        refund = Refund(
            refund_id=ref_id,
            order_id=order.order_id,
            amount=amount,
            gateway_refund_id=self.ledger.new_id("RFND"),
            created_at=self.now(),
            outcome=self.ledger.scenario_for(order).refund_outcome,
        )
        self.ledger.refunds[ref_id] = refund
        order.refunded += amount
        return self._reply({**_info(*REFUND_RESULTS["PENDING"]), **_refund_facts(refund, order, self.mid)})

    async def _refund_status(self, request: Request) -> Response:
        verified = self._verified_body(request)
        if isinstance(verified, dict):
            return self._reply(verified)
        _, body = verified
        refund = self.ledger.refunds.get(str(body.get("refId")))
        if body.get("mid") != self.mid:
            return self._reply(_info("TXN_FAILURE", "335", "Mid is invalid"))
        if refund is None or refund.order_id != body.get("orderId"):
            return self._reply(_info("TXN_FAILURE", "631", "Record not found"))
        order = self.ledger.orders[refund.order_id]
        state = self.ledger.poll_refund(refund)
        return self._reply({**_info(*REFUND_RESULTS[state]), **_refund_facts(refund, order, self.mid)})


def _refund_facts(refund: Refund, order: Order, mid: str) -> dict[str, Any]:
    return {
        "mid": mid,
        "orderId": order.order_id,
        "txnId": order.txn_id,
        "refId": refund.refund_id,
        "refundId": refund.gateway_refund_id,
        "refundAmount": f"{refund.amount:.2f}",
        "txnAmount": f"{order.amount:.2f}",
        "totalRefundAmount": f"{order.refunded:.2f}",
        "txnTimestamp": f"{refund.created_at:%Y-%m-%d %H:%M:%S}.0",
    }


def _form_pairs(body: str) -> list[tuple[str, str]]:
    return parse_qsl(body, keep_blank_values=True)
