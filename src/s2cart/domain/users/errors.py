"""Account errors with the contract's codes."""

from __future__ import annotations

from datetime import datetime

from s2cart.domain.shared.errors import PermissionDenied, ValidationFailed


class InvalidCredentials(ValidationFailed):
    code = "AUTH_001"
    default_message = "Invalid credentials"

    def __init__(self) -> None:
        super().__init__(errors={"non_field_errors": ["Unable to log in with provided credentials."]})


class AccountNotVerified(PermissionDenied):
    code = "AUTH_002"
    default_message = "Account not verified"

    def __init__(self) -> None:
        super().__init__(
            "Account not verified",
            errors={"non_field_errors": ["Verify your email address first (link or 6-digit code)."]},
        )


class AccountLocked(PermissionDenied):
    code = "AUTH_003"
    default_message = "Account locked"

    def __init__(self, locked_until: datetime) -> None:
        self.locked_until = locked_until
        stamp = locked_until.strftime("%Y-%m-%dT%H:%M:%SZ")
        super().__init__(
            "Account locked",
            errors={"non_field_errors": [f"Too many failed login attempts. Try again after {stamp}."]},
        )
