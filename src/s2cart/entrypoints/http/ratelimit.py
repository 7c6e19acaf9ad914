"""Rate limiting at the edge: counted before any work, reported on every response.

``before_request`` runs after routing and before body parsing, dependencies and the handler: a refused
request does nothing else. The app's one pass over every request (http/observability.py) puts the X-RateLimit-*
headers on every answer, errors and unknown routes included (those are counted against the caller's tier too).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import SerializationException
from litestar.types import Scope

from s2cart.application.auth.authenticate import Attempt, Authenticate
from s2cart.application.ports.ratelimit import EPOCH_UNREAD, RateDecision, RateLimiter
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


# The X-RateLimit-* header names as sent (lower case, as every header S2Cart adds), built once.
LIMIT_HEADER, REMAINING_HEADER, RESET_HEADER = b"x-ratelimit-limit", b"x-ratelimit-remaining", b"x-ratelimit-reset"
RouteInfo = tuple[str | None, RouteLimits]  # the route's counters' prefix, its declared limits
AnswerHeaders = Callable[[Scope, list[tuple[bytes, bytes]]], Awaitable[None]]


def rate_limit_hooks(
    limiter: RateLimiter,
    table: RateLimitTable,
    authenticate: Callable[[], Authenticate],
    trusted: tuple[Network, ...],
    enforce: bool,
) -> tuple[Callable[[Request[Any, Any, Any]], Awaitable[Response[Any] | None]], AnswerHeaders]:
    """``before_request`` counts the request; the second function adds the X-RateLimit-* headers to an answer's
    headers (the app's one pass over every request calls it, http/observability.py)."""
    routes: dict[tuple[str, str | None], RouteInfo] = {}

    def route_of(request: Request[Any, Any, Any]) -> RouteInfo:
        """Worked out once a route and method, on their first request: the key and the route's own limits."""
        method, template = request.scope["method"], request.scope.get("path_template")
        found = routes.get((method, template))
        if found is None:
            found = routes[(method, template)] = (route_key(method, template), limits_of(request.route_handler.opt))
        return found

    async def count(request: Request[Any, Any, Any], route: str | None, limits: RouteLimits) -> RateDecision:
        """Authenticate the caller (the handler's principal dependency reuses it) and count the request.

        A caller whose session this worker has cached is counted as that caller by a script that reads the
        AuthEpoch in the same round trip, counting only if the cache entry's epoch still holds: one Redis call
        in all (decision 0040). Otherwise (no entry, the epoch moved, a fence) the session is checked first
        and the request counted after, as the check found the caller."""
        state = request.scope["state"]
        ip = client_ip(request, trusted) or "unknown"
        attempt: Attempt | None = None
        service = authenticate()
        if "authorization" in request.headers:
            with contextlib.suppress(DomainError):  # counted as anonymous; the handler answers the 401
                attempt = service.prepare(credential_of(request))
        decision: RateDecision | None = None
        epoch = EPOCH_UNREAD
        counted: Caller | None = None
        cached = attempt.cached_caller if attempt is not None else None
        if cached is not None and not limits.names_an_account:
            user_id, tier, expected = cached
            counted = Caller(ip=ip, user_id=user_id, tier=tier)
            decision, epoch = await limiter.hit_in_epoch(table.checks(route, counted, limits), expected)
        caller = Caller(ip=ip)
        if attempt is not None:
            try:
                principal = await service.complete(attempt, epoch)
            except DomainError:
                pass  # counted as anonymous; the handler answers the 401
            else:
                state["principal"] = principal
                caller = Caller(ip=ip, user_id=principal.user_id, tier=principal.tier)
        if limits.names_an_account:  # read after authentication: the body check wants to know the principal
            caller = Caller(
                ip=caller.ip, user_id=caller.user_id, tier=caller.tier, account=await _account_named(request)
            )
        if decision is None or caller != counted:
            # Not counted yet, or counted as a caller the session check did not confirm (the cache entry was
            # superseded between the peek and the script: rare, and then the request counts twice).
            decision = await limiter.hit(table.checks(route, caller, limits))
        return decision

    async def before_request(request: Request[Any, Any, Any]) -> Response[Any] | None:
        route, limits = route_of(request)  # declared on the route (entrypoints/http/limits.py)
        if limits.unlimited:
            request.scope["state"][STATE_KEY] = UNCOUNTED
            return None
        decision = await count(request, route, limits)
        request.scope["state"][STATE_KEY] = decision
        if enforce and not decision.allowed:
            return too_many(decision)
        return None

    async def answer_headers(scope: Scope, headers: list[tuple[bytes, bytes]]) -> None:
        state = scope["state"]
        decision: RateDecision | None = state.get(STATE_KEY)
        if decision is None:
            if is_cors_preflight(scope):
                return  # answered by the CORS middleware before routing: counted against nothing (http/cors.py)
            # No route matched (404/405): count it against the caller's tier, for the headers' sake.
            ip = client_ip(Request(scope), trusted) or "unknown"
            decision = await limiter.hit(table.checks(None, Caller(ip=ip)))
            state[STATE_KEY] = decision
        deciding = decision.deciding
        if deciding is None or any(name.lower() == LIMIT_HEADER for name, _ in headers):
            return
        headers.append((LIMIT_HEADER, str(deciding.check.limit.amount).encode()))
        headers.append((REMAINING_HEADER, str(deciding.remaining).encode()))
        headers.append((RESET_HEADER, str(int(time.time() + deciding.reset_after + 0.999)).encode()))

    return before_request, answer_headers


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
