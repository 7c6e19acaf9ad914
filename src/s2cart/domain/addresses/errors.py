"""Address book errors."""

from __future__ import annotations

from s2cart.domain.shared.errors import NotFound, ValidationFailed


class AddressLimitExceeded(ValidationFailed):
    """The book is full; the customer removes one before adding another."""

    code = "ADDR_001"
    default_message = "Address limit exceeded"

    def __init__(self, limit: int) -> None:
        super().__init__(errors={"non_field_errors": [f"You can save at most {limit} addresses."]})


class AddressNotFound(NotFound):
    """Unknown, deleted, or another customer's: the same answer for all three."""

    default_message = "Address not found"
