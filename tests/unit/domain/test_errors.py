from __future__ import annotations

from s2cart.domain.shared.errors import AuthenticationFailed, DomainError, ValidationFailed


def test_errors_carry_code_message_and_fields() -> None:
    error = ValidationFailed.on("email", "Enter a valid email address.")
    assert isinstance(error, DomainError)
    assert error.code == "VAL_001"
    assert error.errors == {"email": ["Enter a valid email address."]}


def test_code_can_be_set_per_instance_without_touching_the_class() -> None:
    expired = AuthenticationFailed("Token expired", code="AUTH_004")
    assert expired.code == "AUTH_004"
    assert AuthenticationFailed().code == "AUTH_005"
    assert AuthenticationFailed().message == "Invalid token"
