"""Rate limiting at the edge: counted before any work, reported on every response.

``before_request`` runs after routing and before body parsing, dependencies and the handler: a refused
request does nothing else. ``before_send`` puts the X-RateLimit-* headers on every answer, errors and
unknown routes included (those are counted against the caller's tier too).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import SerializationException
from litestar.types import Message, Scope

from s2cart.application.auth.authenticate import Authenticate
from s2cart.application.ports.ratelimit import RateDecision, RateLimiter
from s2cart.application.ratelimit.table import Caller, RateLimitTable, RouteLimits
from s2cart.domain.shared.errors import DomainError
from s2cart.entrypoints.http.client_address import Network, client_ip
from s2cart.entrypoints.http.envelope import ERROR_CODE_PATTERN
from s2cart.entrypoints.http.limits import limits_of
from s2cart.entrypoints.http.principal import credential_of
from s2cart.entrypoints.http.routes import BASE_PATH

STATE_KEY = "rate_limit"
UNCOUNTED = RateDecision(allowed=True, states=())


class TooManyRequestsBody(msgspec.Struct, kw_only=True):
    status: Literal["error"] = "error"
    code: int = 429
    message: str = "Rate limit exceeded"
    retry_after: int
    limit_type: str
    current_usage: str
    errors: dict[str, list[str]]
    timestamp: datetime
    # RATE_001 for a rate limit; a refusal for failed attempts carries its own code (AUTH_006 on sign-in). Each
    # operation's document lists the codes it gives (entrypoints/http/answers.py).
    error_code: Annotated[str, msgspec.Meta(pattern=ERROR_CODE_PATTERN)] = "RATE_001"


def route_key(method: str, template: str | None) -> str | None:
    """The route's counters' prefix: "POST /jwt/", relative to the API's base path."""
    if template is None:
        return None
    path = (template[len(BASE_PATH) :] or "/") if template.startswith(BASE_PATH) else template
    return f"{method} {path if path.endswith('/') else path + '/'}"


def headers_for(decision: RateDecision) -> dict[str, str]:
    state = decision.deciding
    if state is None:
        return {}
    return {
        "X-RateLimit-Limit": str(state.check.limit.amount),
        "X-RateLimit-Remaining": str(state.remaining),
        "X-RateLimit-Reset": str(int(time.time() + state.reset_after + 0.999)),
    }


def too_many(decision: RateDecision) -> Response[TooManyRequestsBody]:
    state = decision.deciding
    assert state is not None
    retry_after = max(1, int(state.reset_after + 0.999))
    body = TooManyRequestsBody(
        retry_after=retry_after,
        limit_type=state.check.limit.limit_type,
        current_usage=f"{state.used}/{state.check.limit.amount}",
        errors={},
        timestamp=datetime.now(UTC).replace(microsecond=0),
    )
    return Response(
        body,
        status_code=429,
        media_type=MediaType.JSON,
        headers={"Retry-After": str(retry_after), **headers_for(decision)},
    )


def rate_limit_hooks(
    limiter: RateLimiter,
    table: RateLimitTable,
    authenticate: Callable[[], Authenticate],
    trusted: tuple[Network, ...],
    enforce: bool,
) -> tuple[
    Callable[[Request[Any, Any, Any]], Awaitable[Response[Any] | None]],
    Callable[[Message, Scope], Awaitable[None]],
]:
    async def caller_of(request: Request[Any, Any, Any], limits: RouteLimits) -> Caller:
        ip = client_ip(request, trusted) or "unknown"
        user_id, tier = None, "anonymous"
        if "authorization" in request.headers:
            try:
                principal = await authenticate()(credential_of(request))
            except DomainError:
                pass  # counted as anonymous; the handler answers the 401
            else:
                request.scope["state"]["principal"] = principal
                user_id, tier = principal.user_id, principal.tier
        account = await _account_named(request) if limits.names_an_account else None
        return Caller(ip=ip, user_id=user_id, tier=tier, account=account)

    async def before_request(request: Request[Any, Any, Any]) -> Response[Any] | None:
        route = route_key(request.method, request.scope.get("path_template"))
        limits = limits_of(request.route_handler.opt)  # declared on the route (entrypoints/http/limits.py)
        if limits.unlimited:
            request.scope["state"][STATE_KEY] = UNCOUNTED
            return None
        decision = await limiter.hit(table.checks(route, await caller_of(request, limits), limits))
        request.scope["state"][STATE_KEY] = decision
        if enforce and not decision.allowed:
            return too_many(decision)
        return None

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope["type"] != "http":
            return
        state = scope.setdefault("state", {})  # type: ignore[misc]
        decision: RateDecision | None = state.get(STATE_KEY)
        if decision is None:
            if is_cors_preflight(scope):
                return  # answered by the CORS middleware before routing: counted against nothing (http/cors.py)
            # No route matched (404/405): count it against the caller's tier, for the headers' sake.
            request: Request[Any, Any, Any] = Request(scope)
            ip = client_ip(request, trusted) or "unknown"
            decision = await limiter.hit(table.checks(None, Caller(ip=ip)))
            state[STATE_KEY] = decision
        existing = {name.lower() for name, _ in message.get("headers", [])}
        extra = [(k.lower().encode(), v.encode()) for k, v in headers_for(decision).items()]
        if b"x-ratelimit-limit" not in existing:
            message["headers"] = [*message.get("headers", []), *extra]  # type: ignore[typeddict-unknown-key]

    return before_request, before_send


def is_cors_preflight(scope: Scope) -> bool:
    """A browser's preflight: an OPTIONS naming the method it wants to send. Counting it would spend the
    page's budget twice a request, and a refused preflight fails the real request in the browser."""
    return scope.get("method") == "OPTIONS" and any(
        name == b"access-control-request-method" for name, _ in scope.get("headers", ())
    )


async def _account_named(request: Request[Any, Any, Any]) -> str | None:
    """The account a sign-in names, so guessing at one account is limited whatever the address."""
    try:
        body = await request.json()
    except SerializationException:  # malformed: the handler answers it (an oversized body is a 413 here)
        return None
    if not isinstance(body, dict):
        return None
    login = body.get("email") or body.get("username")
    return login.strip().lower()[:254] if isinstance(login, str) and login.strip() else None
