"""The error answers a route can give, declared where the route is (decision 0043), as its rate limit is:

    @post("/orders/", opt=limit(10, MINUTE, "order", "user") | errors(EmptyCart, CartAlreadyOrdered, *IDEMPOTENT))

A route names the errors its use cases raise (the exception classes, or an ``Answer`` for a code raised ad hoc);
the HTTP status of each comes from the one mapping in entrypoints/http/errors.py. What the shared machinery gives
every route of a kind is implied, not declared: a refused parameter (400 VAL_001) and an unexpected error (500) on
any route, a storage outage (503) unless ``storage=False``, a body's 400s and 413, a signed-in route's 401s (and
403 AUTH_002 where the account must be verified), a rate-limited route's 429.

The OpenAPI document lists, per operation, exactly these statuses with their ``error_code`` values as an enum;
``routes_missing_docs`` names every route without a docstring or without a declaration (a test fails on it), and
the integration tests check every error they provoke against the document (tests/integration/documented.py).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.utils.helpers import unwrap_partial

from s2cart.application.errors import ApplicationError
from s2cart.application.idempotency import KeyInUse
from s2cart.domain.shared.errors import DomainError, ValidationFailed
from s2cart.domain.users.errors import AccountNotVerified
from s2cart.entrypoints.http.errors import status_of
from s2cart.entrypoints.http.limits import limits_of

ERRORS = "errors"


@dataclass(frozen=True, order=True)
class Answer:
    status: int
    code: str
    meaning: str = ""


@dataclass(frozen=True)
class Declared:
    answers: frozenset[Answer]
    storage: bool


Raised = type[DomainError] | type[ApplicationError] | Answer

# Codes raised with ``code=`` on a generic class, or given by the edge itself.
TOKEN_EXPIRED = Answer(401, "AUTH_004", "Token expired")
TOKEN_INVALID = Answer(401, "AUTH_005", "Credentials missing, invalid or ended")
KEY_REUSED = Answer(422, "IDEMPOTENCY_001", "Idempotency key reused with a different request")
INVALID = Answer(400, "VAL_001", "Validation failed: `errors` names each field")
MALFORMED = Answer(400, "VAL_002", "Malformed JSON")
TOO_LARGE = Answer(413, "GEN_413", "Request body too large")
RATE_LIMITED = Answer(429, "RATE_001", "Rate limit exceeded")
INTERNAL = Answer(500, "SYS_500", "Unexpected error; the message names the request id")
STORAGE = Answer(503, "SYS_503", "Storage unavailable; retry after Retry-After seconds")
# What an Idempotency-Key adds (idempotent.answer_once): a bad key, a reused one, one still running.
IDEMPOTENT: tuple[Raised, ...] = (ValidationFailed, KEY_REUSED, KeyInUse)
SIGNED_IN = (TOKEN_EXPIRED, TOKEN_INVALID)


def answer_of(raised: Raised) -> Answer:
    if isinstance(raised, Answer):
        return raised
    meaning = getattr(raised, "default_message", None) or getattr(raised, "message", "")
    return Answer(status_of(raised), raised.code, str(meaning))


def errors(*raised: Raised, storage: bool = True) -> dict[str, Any]:
    """The route's ``opt`` entry: the errors its use cases raise beyond what every route of its kind gives.
    ``errors()`` declares none; ``storage=False`` for a route that touches no database (no 503)."""
    return {ERRORS: Declared(frozenset(answer_of(item) for item in raised), storage)}


def _parameters(handler: HTTPRouteHandler) -> dict[str, Any]:
    return dict(getattr(handler.parsed_fn_signature, "parameters", {}))


def answers_of(handler: HTTPRouteHandler) -> dict[int, tuple[Answer, ...]]:
    """Every error answer the route can give, by status (its declaration and what its kind implies)."""
    declared = handler.opt.get(ERRORS)
    found: set[Answer] = {INVALID, INTERNAL}
    if isinstance(declared, Declared):
        found |= declared.answers
    if not isinstance(declared, Declared) or declared.storage:
        found.add(STORAGE)
    parameters = _parameters(handler)
    if "data" in parameters:
        found |= {INVALID, MALFORMED, TOO_LARGE}
    if "principal" in parameters or "any_principal" in parameters:
        found |= set(SIGNED_IN)
    if "principal" in parameters:
        found.add(answer_of(AccountNotVerified))
    if not limits_of(handler.opt).unlimited:
        found.add(RATE_LIMITED)
    by_status: dict[int, set[Answer]] = {}
    for answer in found:
        by_status.setdefault(answer.status, set()).add(answer)
    return {status: _one_per_code(group) for status, group in sorted(by_status.items())}


def _one_per_code(group: set[Answer]) -> tuple[Answer, ...]:
    """Several classes may share a code (every ``...NotFound`` is GEN_404): listed once, with the plainest words."""
    chosen: dict[str, Answer] = {}
    for answer in sorted(group, key=lambda a: (a.code, len(a.meaning))):
        chosen.setdefault(answer.code, answer)
    return tuple(chosen.values())


def docstring_of(handler: HTTPRouteHandler) -> str | None:
    fn = unwrap_partial(handler.fn)
    return inspect.cleandoc(fn.__doc__) if fn.__doc__ else None


def documented_handlers(app: Litestar) -> list[tuple[str, str, HTTPRouteHandler]]:
    """(method, path, handler) of every operation the OpenAPI document shows."""
    found: list[tuple[str, str, HTTPRouteHandler]] = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler) and handler.resolve_include_in_schema():
                for method in sorted(handler.http_methods):
                    if method != "OPTIONS":
                        found.append((method, route.path_format, handler))
    return found


def routes_missing_docs(app: Litestar) -> list[str]:
    """Each documented route without a docstring (its description) or without ``opt=errors(...)``."""
    missing = []
    for method, path, handler in documented_handlers(app):
        where = f"{method} {path} ({unwrap_partial(handler.fn).__qualname__})"
        if docstring_of(handler) is None:
            missing.append(f"{where}: no docstring (the operation's description)")
        if not isinstance(handler.opt.get(ERRORS), Declared):
            missing.append(f"{where}: no opt=errors(...) naming the errors it can raise (entrypoints/http/answers.py)")
    return missing
