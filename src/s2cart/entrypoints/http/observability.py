"""Every request observed once: the request id, the X-RateLimit-* headers, one access-log line and the request
metrics, in one pass; ``/metrics``; liveness.

The observer wraps the app's ASGI handler rather than being route middleware, because route middleware
does not run for 404 and 405 answers, and a latency needs the request's start, which a ``before_send`` hook
never sees. It wraps ``send`` itself, so the status it records and the headers it adds are on what is sent.
Raw paths are never logged: link tokens travel in them (``/verify/{token}/``); the route template is.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from litestar import Litestar, Response, get
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from s2cart.application.ports.metrics import Gauge
from s2cart.application.ports.payment_backlog import PaymentBacklog
from s2cart.application.ports.ratelimit import RateDecision
from s2cart.application.read_scope import close_read_scope, open_read_scope
from s2cart.entrypoints.http.answers import errors
from s2cart.entrypoints.http.limits import UNLIMITED
from s2cart.entrypoints.http.ratelimit import STATE_KEY, AnswerHeaders
from s2cart.entrypoints.http.request_id import HEADER as REQUEST_ID_HEADER
from s2cart.entrypoints.http.request_id import request_id_for
from s2cart.entrypoints.logs import request_id_var

access_logger = logging.getLogger("s2cart.requests")
logger = logging.getLogger(__name__)
UNMATCHED = "unmatched"  # the route label of 404s: one series, whatever path was asked for
METRICS_PATH = "/metrics"
SCRAPE_TIMEOUT_SECONDS = 2.0
T = TypeVar("T")


class RequestMetrics(Protocol):
    """What the HTTP edge records and exposes; the container provides the adapter (Prometheus)."""

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None: ...

    def rate_limited(self, route: str, limit_type: str) -> None: ...

    def exposition(self, gauges: Sequence[Gauge] = ()) -> tuple[bytes, str]: ...


def _user_id(state: dict[str, Any]) -> int | None:
    if "user_id" in state:
        return int(state["user_id"])
    principal = state.get("principal")  # resolved by the rate limiter even where no handler asked for it
    return int(principal.user_id) if principal is not None else None


def _refusal(state: dict[str, Any]) -> str:
    decision: RateDecision | None = state.get(STATE_KEY)
    if decision is not None and not decision.allowed and decision.deciding is not None:
        return decision.deciding.check.limit.limit_type
    return "sign_in_throttle"  # the per-address sign-in failure limit answers 429 from the use case


def observe(
    app: Litestar, metrics: RequestMetrics, access_log: bool, rate_limit_headers: AnswerHeaders | None = None
) -> None:
    """The app's one pass over every request, as pure ASGI around Litestar's handler: the request id (logging
    context and the X-Request-ID header), the X-RateLimit-* headers, the status, the metrics and the access line.

    One wrapper of ``send`` does what two ``before_send`` hooks and a request-id middleware did (decision 0040):
    the headers go on the start message on its way out, 404 and 405 answers included."""
    inner: ASGIApp = app.asgi_handler
    log_access = access_log

    async def observed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await inner(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client is taken to have got if nothing was sent
        request_id = request_id_for(scope)
        token = request_id_var.set(request_id)
        # Whose reads these are, once the principal is known (read replicas' read-your-writes, decision 0042).
        reads = open_read_scope()
        request_id_header = (REQUEST_ID_HEADER, request_id.encode())

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                headers.append(request_id_header)
                if rate_limit_headers is not None:
                    await rate_limit_headers(scope, headers)
                message["headers"] = headers  # type: ignore[typeddict-unknown-key]
            await send(message)

        try:
            await inner(scope, receive, send_with_headers)
        finally:
            seconds = time.perf_counter() - started
            state = scope["state"]
            route = scope.get("path_template") or UNMATCHED
            metrics.observe_request(scope["method"], route, status, seconds)
            if status == 429:
                metrics.rate_limited(route, _refusal(state))
            if log_access and access_logger.isEnabledFor(logging.INFO):
                user_id = _user_id(state)
                latency_ms = round(seconds * 1000, 2)
                access_logger.info(
                    "%s %s %d %.2fms user=%s",
                    scope["method"],
                    route,
                    status,
                    latency_ms,
                    user_id if user_id is not None else "-",
                    extra={
                        "request_id": request_id,
                        "method": scope["method"],
                        "route": route,
                        "status": status,
                        "latency_ms": latency_ms,
                        "user_id": user_id,
                    },
                )
            close_read_scope(reads)
            request_id_var.reset(token)

    app.asgi_handler = observed


async def _measured(what: str, measure: Callable[[], Awaitable[T]]) -> T | None:
    try:
        return await asyncio.wait_for(measure(), SCRAPE_TIMEOUT_SECONDS)
    except Exception as exc:  # a scrape still answers while the database is away; the gauges are absent
        logger.warning("%s not measured: %s", what, type(exc).__name__)
        return None


def metrics_route(
    metrics: RequestMetrics,
    backlog: Callable[[], Callable[[], Awaitable[int]]],
    payment_backlog: Callable[[], Callable[[], Awaitable[PaymentBacklog]]],
) -> HTTPRouteHandler:
    @get(METRICS_PATH, include_in_schema=False, opt=UNLIMITED)
    async def expose_metrics() -> Response[bytes]:
        gauges: list[Gauge] = []
        pending = await _measured("outbox backlog", backlog())
        if pending is not None:
            gauges.append(Gauge("s2cart_outbox_pending", "Outbox messages not yet delivered", pending))
        payments = await _measured("payment backlog", payment_backlog())
        if payments is not None:
            gauges.append(
                Gauge(
                    "s2cart_payments_pending_past_expiry",
                    "Payment attempts still PENDING past the 20-minute horizon (the reconciler expires them)",
                    payments.pending_past_expiry,
                )
            )
            gauges.append(
                Gauge(
                    "s2cart_payment_checks_overdue",
                    "Watched payment attempts whose status check is over 2 minutes late (is the reconciler running?)",
                    payments.checks_overdue,
                )
            )
        body, content_type = metrics.exposition(gauges)
        return Response(body, media_type=content_type)

    return expose_metrics


@get(
    "/live/",
    summary="Liveness: the process answers (no database, no cache)",
    tags=["System"],
    opt=UNLIMITED | errors(storage=False),
)
async def liveness() -> dict[str, str]:
    """Liveness: the process answers. Touches neither database nor cache, so an outage there does not restart
    the process; GET /health/ is the readiness check.
    """
    return {"status": "alive"}
