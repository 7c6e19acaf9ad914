"""Each operation's description (its docstring, who may call it, its rate limit) and the error answers it can give
(entrypoints/http/answers.py), in the contract's envelope: Litestar would document a 400 as its own
ValidationException body."""

from __future__ import annotations

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec

from s2cart.application.ratelimit.table import TIER_LIMITS, RouteLimits
from s2cart.entrypoints.http.answers import Answer, answers_of, docstring_of, documented_handlers
from s2cart.entrypoints.http.envelope import ErrorBody
from s2cart.entrypoints.http.limits import DAY, HOUR, MINUTE, limits_of
from s2cart.entrypoints.http.ratelimit import TooManyRequestsBody

_SIGNED_IN = "Signed-in callers only: `Authorization: Bearer <access JWT>` or `Authorization: Token <key>`."
_ANONYMOUS = "No sign-in needed."
_OPTIONAL = "No sign-in needed; a credential that is sent must be valid (`Bearer` or `Token`)."

_BODIES = {429: TooManyRequestsBody}
_TITLES = {
    400: "Refused: a field or the request is invalid",
    401: "Missing, invalid or expired credentials",
    403: "Not allowed",
    404: "Not found, or not the caller's",
    409: "Conflicts with the current state",
    413: "Request body too large",
    422: "Refused as a whole",
    429: "Too many requests",
    500: "Unexpected error",
    502: "A payment gateway refused S2Cart's own request",
    503: "A service S2Cart depends on is unavailable; retry later",
}


def document_errors(app: Litestar) -> None:
    for _, _, handler in documented_handlers(app):
        handler.responses = {**_error_responses(handler), **(handler.responses or {})}
        handler.description = handler.description or _description(handler)


def _error_responses(handler: HTTPRouteHandler) -> dict[int, ResponseSpec]:
    """One response per status the route can answer with (answers.answers_of); the document's post-processing
    (openapi_document.polish) narrows each one's ``error_code`` to the codes listed here."""
    return {
        status: ResponseSpec(
            data_container=_BODIES.get(status, ErrorBody),
            description=error_description(status, answers),
            generate_examples=False,
        )
        for status, answers in answers_of(handler).items()
        if status != handler.status_code
    }


def error_description(status: int, answers: tuple[Answer, ...]) -> str:
    codes = "; ".join(f"`{answer.code}` {answer.meaning}".rstrip() for answer in answers)
    return f"{_TITLES.get(status, 'Refused')}: {codes}"


def _description(handler: HTTPRouteHandler) -> str:
    """The handler's docstring (a test requires one), else its summary; then who may call it."""
    text = docstring_of(handler) or (handler.summary or handler.handler_name.replace("_", " "))
    text = text if text.endswith((".", "?", ")")) else f"{text}."
    security = handler.resolve_security()
    who = (_OPTIONAL if {} in security else _SIGNED_IN) if security else _ANONYMOUS
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
