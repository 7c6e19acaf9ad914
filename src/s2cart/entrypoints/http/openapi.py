"""The error answers every operation can give, documented once for all of them.

Litestar documents a 400 as its own ValidationException body; S2Cart answers every error in the
contract's envelope, so each operation's responses are completed here with the real shapes."""

from __future__ import annotations

import inspect
from typing import Literal

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.utils.helpers import unwrap_partial

from s2cart.application.ratelimit.table import TIER_LIMITS, RouteLimits
from s2cart.entrypoints.http.envelope import ErrorBody
from s2cart.entrypoints.http.limits import DAY, HOUR, MINUTE, limits_of
from s2cart.entrypoints.http.ratelimit import TooManyRequestsBody

_SIGNED_IN = "Signed-in callers only: `Authorization: Bearer <access JWT>` or `Authorization: Token <key>`."
_ANONYMOUS = "No sign-in needed."

# Anonymous handlers that never authenticate anyone: no principal, and their use cases raise neither
# AuthenticationFailed (401) nor PermissionDenied (403) (application/accounts, system, the browser return), so
# they document no 401/403. Sign-in, refresh and token checks authenticate and keep them; so do the gateways'
# callbacks, which verify signatures.
NEVER_AUTHENTICATES = frozenset(
    {
        "register",
        "request_reset",
        "confirm_reset",
        "resend",
        "verify_by_otp",
        "verify_by_token",
        "health",
        "liveness",
        "root",
        "browser_return",
    }
)


# The statuses whose error codes are few and fixed document them as an enum (method: every place raising the
# status's exceptions, src/s2cart/domain/shared/errors.py, application/errors.py and http/errors.py's framework
# defaults). The others keep ErrorBody, whose error_code is any AREA_NNN.
class UnauthorizedError(ErrorBody, kw_only=True):
    error_code: Literal["AUTH_004", "AUTH_005"]  # expired; missing, invalid or ended


class CallbackUnauthorizedError(ErrorBody, kw_only=True):
    error_code: Literal["PAY_401", "AUTH_004", "AUTH_005"]  # a gateway's notification whose signature fails


class ForbiddenError(ErrorBody, kw_only=True):
    error_code: Literal["AUTH_002", "AUTH_003", "GEN_403"]  # not verified, locked, any other refusal


class MethodNotAllowedError(ErrorBody, kw_only=True):
    error_code: Literal["GEN_405"]


class PayloadTooLargeError(ErrorBody, kw_only=True):
    error_code: Literal["GEN_413"]


class UnavailableError(ErrorBody, kw_only=True):
    error_code: Literal["SYS_503", "PAY_503"]  # storage (or a conflict retried out), a payment gateway


_BODIES: dict[int, type[ErrorBody]] = {
    401: UnauthorizedError,
    403: ForbiddenError,
    405: MethodNotAllowedError,
    413: PayloadTooLargeError,
    503: UnavailableError,
}
_CALLBACKS = frozenset({"paytm", "phonepe"})

_ERRORS = {
    400: "Validation failed: `errors` names each field",
    401: "Missing, invalid or expired credentials (AUTH_004, AUTH_005)",
    403: "Not allowed: account not verified (AUTH_002) or locked (AUTH_003)",
    404: "Not found, or not the caller's",
    405: "Method not allowed",
    409: "Conflicts with the current state",
    413: "Request body too large",
    422: "Refused as a whole (e.g. an idempotency key reused for another request)",
    500: "Unexpected error; the message names the request id",
    503: "A service S2Cart depends on is unavailable; retry later",
}


def document_errors(app: Litestar) -> None:
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler):
                handler.responses = {**_defaults(handler), **(handler.responses or {})}
                handler.description = handler.description or _description(handler)


def _description(handler: HTTPRouteHandler) -> str:
    """The handler's docstring, else its summary; then who may call it."""
    fn = unwrap_partial(handler.fn)
    doc = inspect.cleandoc(fn.__doc__) if fn.__doc__ else None
    text = doc or (handler.summary or handler.handler_name.replace("_", " "))
    text = text if text.endswith((".", "?", ")")) else f"{text}."
    who = _SIGNED_IN if handler.resolve_security() else _ANONYMOUS
    return f"{text}\n\n{who} {_rate_limit(limits_of(handler.opt))}"


_WINDOWS = {MINUTE: "minute", HOUR: "hour", DAY: "day"}
_TIERS = "per minute: " + ", ".join(
    f"{tier} {limit.amount}" for tier, limits in TIER_LIMITS.items() for limit in limits if limit.seconds == MINUTE
)


def _rate_limit(limits: RouteLimits) -> str:
    """The route's own limits (entrypoints/http/limits.py), in words; a 429 answers past them."""
    if limits.unlimited:
        return "Not rate limited."
    own = [
        f"{item.amount} per {_WINDOWS.get(item.seconds, f'{item.seconds} s')} per {' and per '.join(item.keys)}"
        for item in limits.limits
    ]
    tier = "" if limits.tier_exempt else f"the caller's tier ({_TIERS})"
    return "Rate limit: " + "; ".join([*own, tier] if tier else own) + "."


def _defaults(handler: HTTPRouteHandler) -> dict[int, ResponseSpec]:
    anonymous = not handler.resolve_security() and handler.handler_name in NEVER_AUTHENTICATES
    bodies = {**_BODIES, 401: CallbackUnauthorizedError} if handler.handler_name in _CALLBACKS else _BODIES
    specs: dict[int, ResponseSpec] = {
        status: ResponseSpec(data_container=bodies.get(status, ErrorBody), description=text, generate_examples=False)
        for status, text in _ERRORS.items()
        if status != handler.status_code and not (anonymous and status in (401, 403))
    }
    specs[429] = ResponseSpec(
        data_container=TooManyRequestsBody, description="Rate limit exceeded", generate_examples=False
    )
    return specs
