"""One tree of business errors.

Each error carries a stable code from the contract (``AUTH_001`` ...), a message safe to show a client
and optional field-level details. The edge maps the category (the class) to an HTTP status once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """Base of every business rule violation."""

    code: str = "GEN_001"
    default_message: str = "Request could not be processed"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code is not None:
            self.code = code
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}
        super().__init__(self.message)


class ValidationFailed(DomainError):
    """Input breaks a rule; ``errors`` names the fields."""

    code = "VAL_001"
    default_message = "Validation failed"

    @classmethod
    def on(cls, field: str, message: str, *, code: str | None = None) -> ValidationFailed:
        return cls("Validation failed", code=code, errors={field: [message]})


class NotFound(DomainError):
    """The resource does not exist for this caller (another user's ids look the same)."""

    code = "GEN_404"
    default_message = "Not found"


class Conflict(DomainError):
    """The request is well formed but clashes with the current state."""

    code = "GEN_409"
    default_message = "Request conflicts with the current state"


class AuthenticationFailed(DomainError):
    """Missing, invalid or expired credentials (401)."""

    code = "AUTH_005"
    default_message = "Invalid token"


class PermissionDenied(DomainError):
    """Authenticated but not allowed (403), e.g. a locked or unverified account."""

    code = "GEN_403"
    default_message = "Permission denied"


class TooManyAttempts(DomainError):
    """Refused for volume, not content (429); ``retry_after`` seconds until it may work."""

    code = "AUTH_006"
    default_message = "Too many attempts"

    def __init__(
        self,
        message: str | None = None,
        *,
        retry_after: int,
        code: str | None = None,
        limit_type: str = "",
        current_usage: str = "",
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = max(1, retry_after)
        self.limit_type = limit_type
        self.current_usage = current_usage
        self.headers = {"Retry-After": str(self.retry_after)}


class ErrorCollector:
    """Run several checks and report every failing field at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def check(self, run: Callable[[], T]) -> T | None:
        try:
            return run()
        except DomainError as exc:
            for name, messages in (exc.errors or {"non_field_errors": [exc.message]}).items():
                self.errors.setdefault(name, []).extend(messages)
            return None

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self, message: str = "Validation failed") -> None:
        if self.errors:
            raise ValidationFailed(message, errors=self.errors)


class Unprocessable(DomainError):
    """Well-formed but refused as a whole (422), e.g. an idempotency key reused for another request."""

    code = "GEN_422"
    default_message = "Request cannot be processed"
