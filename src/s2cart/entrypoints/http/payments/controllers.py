"""The contract's payment routes, and the two gateway callbacks (no user auth: gateways sign instead)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post, route
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from s2cart.application.auth.principal import Principal
from s2cart.application.errors import GatewayRejected, GatewayUnavailable, InvalidCallback, InvalidSignature
from s2cart.application.idempotency import Idempotency
from s2cart.application.payments.handle_callback import HandleGatewayCallback
from s2cart.application.payments.initiate_payment import InitiatePayment
from s2cart.application.payments.queries import GetPaymentStatus, ListPayments
from s2cart.application.payments.retry_payment import RetryPayment
from s2cart.application.payments.views import PaymentHistoryView
from s2cart.application.ports.payments import InboundCallback
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.payments.errors import (
    AlreadyRetried,
    OrderNotPayable,
    PaymentMethodUnavailable,
    PaymentMismatch,
    PaymentNotFound,
    PaymentNotRetryable,
    PaymentRejected,
    RetryLimitReached,
)
from s2cart.domain.shared.pagination import PageRequest
from s2cart.entrypoints.http.answers import IDEMPOTENT, TOO_LARGE, errors
from s2cart.entrypoints.http.envelope import Done, Paginated, Success, done, success
from s2cart.entrypoints.http.idempotent import answer_once
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.limits import HOUR, MINUTE, limit
from s2cart.entrypoints.http.pagination import paginated
from s2cart.entrypoints.http.payments.schemas import (
    CallbackAckOut,
    InitiatePaymentIn,
    PaymentStatusOut,
    StartedPaymentOut,
    started_out,
    status_out,
)
from s2cart.entrypoints.http.principal import SECURITY

IDEMPOTENCY_SCOPE = "payments.initiate"


class PaymentController(Controller):
    path = "/payments"
    tags = ["Payments"]
    security = SECURITY

    @post(
        "/initiate/",
        summary="Start paying one of the caller's orders (Idempotency-Key honoured)",
        opt=limit(10, HOUR, "payment", "user")
        | errors(
            OrderNotFound,
            OrderNotPayable,
            PaymentMethodUnavailable,
            PaymentRejected,
            GatewayUnavailable,
            GatewayRejected,
            *IDEMPOTENT,
        ),
    )
    async def initiate(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[InitiatePaymentIn],
        principal: NamedDependency[Principal],
        initiate_payment: Inject[InitiatePayment],
        idempotency: Inject[Idempotency],
    ) -> Response[Success[StartedPaymentOut]]:
        """Start paying one of the caller's orders with an enabled gateway (PAYTM, PHONEPE): the amount is the order's
        total, and `payment_data` is what the app hands the gateway's SDK. A paid or cancelled order is 400 PAY_005,
        a gateway not enabled 400 PAY_002, a gateway refusal 400 PAY_001, a gateway that does not answer 503
        PAY_503. Idempotency-Key as for POST /orders/.
        """

        async def initiate() -> Success[StartedPaymentOut]:
            started = await initiate_payment(principal.user_id, data.order_id, data.payment_method)
            return success(started_out(started), "Payment initiated successfully", code=201)

        return await answer_once(request, idempotency, principal.user_id, IDEMPOTENCY_SCOPE, data, initiate, 201)

    @get(
        "/status/{order_id:int}/",
        summary="The latest payment of one of the caller's orders",
        opt=limit(50, MINUTE, "payment", "user") | errors(PaymentNotFound),
    )
    async def status(
        self,
        order_id: FromPath[int],
        principal: NamedDependency[Principal],
        get_payment_status: Inject[GetPaymentStatus],
    ) -> Success[PaymentStatusOut]:
        """The latest payment of one of the caller's orders. A PENDING one not checked for 5 seconds is asked about at
        the gateway first; a gateway that does not answer in time leaves the stored state (the reconciler finishes
        the work). 404 when the order is not the caller's or has no payment.
        """
        view = await get_payment_status(principal.user_id, order_id)
        return success(status_out(view), "Payment status retrieved successfully")

    @post(
        "/history/{payment_id:int}/retry/",
        status_code=200,
        summary="Retry a failed or expired payment",
        opt=limit(5, HOUR, "payment", "user")
        | errors(
            PaymentNotFound,
            PaymentNotRetryable,
            AlreadyRetried,
            RetryLimitReached,
            OrderNotPayable,
            PaymentMethodUnavailable,
            PaymentRejected,
            GatewayUnavailable,
            GatewayRejected,
        ),
    )
    async def retry(
        self,
        payment_id: FromPath[int],
        principal: NamedDependency[Principal],
        retry_payment: Inject[RetryPayment],
    ) -> Success[StartedPaymentOut]:
        """Start a new attempt for a FAILED or EXPIRED payment of the caller (400 PAY_006 otherwise), at most three
        retries (400 PAY_007) and once per attempt (409 PAY_008). Gateway refusals as for POST /payments/initiate/.
        """
        started = await retry_payment(principal.user_id, payment_id)
        return success(started_out(started), "Payment retry initiated")

    @get("/history/", summary="The caller's payments, newest first, each with its transactions", opt=errors())
    async def history(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        page_request: NamedDependency[PageRequest],
        list_payments: Inject[ListPayments],
        status: FromQuery[str | None] = None,
        payment_type: FromQuery[str | None] = None,
        from_date: FromQuery[str | None] = None,
        to_date: FromQuery[str | None] = None,
    ) -> Paginated[PaymentHistoryView]:
        """The caller's payments, newest first, each with its transactions; filters by status, payment type and date
        range (400 VAL_001 names a bad one); paginated.
        """
        page = await list_payments(principal.user_id, page_request, status, payment_type, from_date, to_date)
        return paginated(request, page, message=f"Found {page.total_count} payments")


class GatewayCallbackController(Controller):
    """Gateways call these server to server, without a user: the signature is the credential."""

    path = "/payments"
    tags = ["Payment gateways"]

    @post(
        "/paytm/callback/",
        status_code=200,
        summary="Paytm's signed form notification (CHECKSUMHASH)",
        opt=limit(600, MINUTE, "gateway_callback", "ip", tier_exempt=True)
        | errors(
            InvalidSignature,
            InvalidCallback,
            PaymentMismatch,
            PaymentMethodUnavailable,
            GatewayUnavailable,
            GatewayRejected,
            TOO_LARGE,
        ),
    )
    async def paytm(
        self, request: Request[Any, Any, Any], handle_gateway_callback: Inject[HandleGatewayCallback]
    ) -> Success[CallbackAckOut]:
        """Paytm's server-to-server notification (a signed form). Believed only once the CHECKSUMHASH verifies (401
        PAY_401) and Paytm's status API confirms it; a claim that disagrees on amount or ids is 400 PAY_004 and
        changes nothing. When the status API cannot be reached the answer is 503 PAY_503, so Paytm delivers again.
        Repeated deliveries are acknowledged once applied.
        """
        return await _acknowledge("PAYTM", request, handle_gateway_callback)

    @post(
        "/phonepe/callback/",
        status_code=200,
        summary="PhonePe's notification: a v1 callback (X-VERIFY) or a v2 webhook (Authorization)",
        opt=limit(600, MINUTE, "gateway_callback", "ip", tier_exempt=True)
        | errors(
            InvalidSignature,
            InvalidCallback,
            PaymentMismatch,
            PaymentMethodUnavailable,
            GatewayUnavailable,
            GatewayRejected,
            TOO_LARGE,
        ),
    )
    async def phonepe(
        self, request: Request[Any, Any, Any], handle_gateway_callback: Inject[HandleGatewayCallback]
    ) -> Success[CallbackAckOut]:
        """PhonePe's server-to-server notification: a v1 callback signed with X-VERIFY or a v2 webhook with its
        Authorization. Verified (401 PAY_401), confirmed with PhonePe's status API and applied once, as for Paytm.
        """
        return await _acknowledge("PHONEPE", request, handle_gateway_callback)

    @route(
        "/return/",
        http_method=["GET", "POST"],
        status_code=200,
        summary="Where the browser lands after paying",
        opt=errors(storage=False),
    )
    async def browser_return(self) -> Done:
        """Where the gateway sends the browser after paying. It trusts nothing the browser reports: the app reads
        GET /payments/status/{order_id}/.
        """
        # Gateways say not to trust the browser's report: the app reads GET /payments/status/{order_id}/.
        return done("Payment submitted. Return to the S2Cart app to see its status.")


async def _acknowledge(
    gateway: str, request: Request[Any, Any, Any], handle: HandleGatewayCallback
) -> Success[CallbackAckOut]:
    body = await request.body()
    result = await handle(gateway, InboundCallback(body, dict(request.headers)))
    return success(CallbackAckOut(result=result.result), "Notification processed")
