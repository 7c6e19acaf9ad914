"""One mapping from every failure to the contract's error envelope."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from s2cart.application.errors import (
    ApplicationError,
    GatewayError,
    GatewayUnavailable,
    InvalidCallback,
    InvalidSignature,
    StorageRefusedValue,
    StorageUnavailable,
)
from s2cart.domain.shared.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
    Unprocessable,
    ValidationFailed,
)
from s2cart.entrypoints.http.envelope import ErrorBody
from s2cart.entrypoints.http.ratelimit import TooManyRequestsBody
from s2cart.entrypoints.http.request_id import request_id_for

logger = logging.getLogger("s2cart.http")

NON_FIELD = "non_field_errors"

_DOMAIN_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (ValidationFailed, 400),
    (AuthenticationFailed, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (TooManyAttempts, 429),
    (Unprocessable, 422),
)

# Framework answers, in the contract's words where it has them.
_HTTP_DEFAULTS: Mapping[int, tuple[str, str]] = {
    400: ("Validation failed", "VAL_001"),
    401: ("Authentication credentials were not provided", "AUTH_005"),
    403: ("Permission denied", "GEN_403"),
    404: ("Not found", "GEN_404"),
    405: ("Method not allowed", "GEN_405"),
    409: ("Request conflicts with the current state", "GEN_409"),
    413: ("Request body too large", "GEN_413"),
    415: ("Unsupported media type", "GEN_415"),
    429: ("Rate limit exceeded", "RATE_001"),
    503: ("Service temporarily unavailable", "SYS_503"),
}

_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_AT_PATH = re.compile(r" - at `\$\.?([^`]*)`$")


def error_response(
    status: int,
    message: str,
    error_code: str,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[ErrorBody]:
    body = ErrorBody(
        code=status,
        message=message,
        errors=dict(errors or {}),
        timestamp=datetime.now(UTC).replace(microsecond=0),
        error_code=error_code,
    )
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=dict(headers or {}))


def _domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if isinstance(exc, TooManyAttempts):
        return too_many_attempts(exc)
    status = next((code for kind, code in _DOMAIN_STATUS if isinstance(exc, kind)), 400)
    return error_response(status, exc.message, exc.code, exc.errors, headers=getattr(exc, "headers", None))


def too_many_attempts(exc: TooManyAttempts) -> Response[TooManyRequestsBody]:
    """One 429 body everywhere: a refusal for failed attempts carries what a rate limit's refusal carries."""
    body = TooManyRequestsBody(
        message=exc.message,
        retry_after=exc.retry_after,
        limit_type=exc.limit_type or "attempts",
        current_usage=exc.current_usage,
        errors=dict(exc.errors or {}),
        timestamp=datetime.now(UTC).replace(microsecond=0),
        error_code=exc.code,
    )
    return Response(body, status_code=429, media_type=MediaType.JSON, headers=dict(exc.headers))


# Most specific first. A gateway that cannot be reached is a 503 the client (or the gateway, for a
# callback) may retry; a notification that does not verify is the caller's fault; a gateway refusing
# S2Cart's own credentials is a bad gateway (502), not something the client can fix.
_APPLICATION_STATUS: tuple[tuple[type[ApplicationError], int], ...] = (
    (StorageUnavailable, 503),
    (StorageRefusedValue, 400),
    (GatewayUnavailable, 503),
    (InvalidSignature, 401),
    (InvalidCallback, 400),
    (GatewayError, 502),
)


def status_of(kind: type[DomainError] | type[ApplicationError]) -> int:
    """The HTTP status an error of this class answers with (the OpenAPI document lists it per route)."""
    table: tuple[tuple[type[Exception], int], ...] = (*_DOMAIN_STATUS, *_APPLICATION_STATUS)
    return next((code for k, code in table if issubclass(kind, k)), 400 if issubclass(kind, DomainError) else 500)


def _application_error(request: Request[Any, Any, Any], exc: ApplicationError) -> Response[ErrorBody]:
    status = next((code for kind, code in _APPLICATION_STATUS if isinstance(exc, kind)), 500)
    request_id = request_id_for(request.scope)
    if isinstance(exc, GatewayError):
        # The gateway's name and a safe code only: details never carry keys, checksums or card data.
        source = request.client.host if request.client else "unknown"
        logger.warning("payment gateway %s: %s %s from %s [%s]", exc.gateway, exc.code, exc.detail, source, request_id)
    elif status == 503:
        logger.warning("storage unavailable [%s]", request_id)
    elif isinstance(exc, StorageRefusedValue):
        # The edge should have refused it: worth a look, but the value itself stays out of the log.
        logger.warning("database refused a value (SQLSTATE %s) on %s [%s]", exc.sqlstate, request.url.path, request_id)
    return error_response(status, exc.message, exc.code, headers={"Retry-After": "5"} if status == 503 else None)


def field_errors_of(exc: ValidationException) -> dict[str, list[str]]:
    """Litestar/msgspec validation details as ``{field: [messages]}``."""
    errors: dict[str, list[str]] = {}
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", "Invalid value"))
        key = str(item.get("key") or "")
        missing = _MISSING_FIELD.search(message)
        at_path = _AT_PATH.search(message)
        if missing:
            prefix = at_path.group(1) if at_path else ""
            key = f"{prefix}.{missing.group(1)}" if prefix else missing.group(1)
            message = "This field is required."
        elif at_path:
            key = at_path.group(1) or key
            message = message[: at_path.start()]
        if key in ("", "data", "body"):
            key = NON_FIELD
            if message.strip("'\"") in ("data", "body"):
                message = "A JSON request body is required."
        errors.setdefault(key, []).append(message)
    if not errors:
        errors[NON_FIELD] = [str(exc.detail)]
    return errors


def _http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ErrorBody]:
    status = exc.status_code
    message, code = _HTTP_DEFAULTS.get(status, ("Request could not be processed", f"GEN_{status}"))
    if isinstance(exc, ValidationException):
        return error_response(400, "Validation failed", "VAL_001", field_errors_of(exc))
    if status == 400:
        # e.g. malformed JSON: msgspec's text names the byte, never server internals.
        return error_response(400, "Malformed request", "VAL_002", {NON_FIELD: [str(exc.detail)]})
    if status >= 500:
        logger.error("http error %s [%s]: %s", status, request_id_for(request.scope), exc.detail, exc_info=exc)
        return error_response(status, "Internal server error", "SYS_500")
    return error_response(status, message, code, headers=exc.headers)


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    request_id = request_id_for(request.scope)
    logger.exception("unhandled error on %s %s [%s]", request.method, request.url.path, request_id)
    return error_response(
        HTTP_500_INTERNAL_SERVER_ERROR,
        f"Internal server error (request id {request_id})",
        "SYS_500",
    )


EXCEPTION_HANDLERS: Mapping[type[Exception], Callable[..., Response[ErrorBody]]] = {
    DomainError: _domain_error,
    ApplicationError: _application_error,
    HTTPException: _http_exception,
    Exception: _unexpected,
}
