from __future__ import annotations

from s2cart.domain.shared.errors import NotFound, ValidationFailed


class CartLimitExceeded(ValidationFailed):
    """The contract's CART_001: a user holds at most five carts, one per store."""

    code = "CART_001"
    default_message = "Cart limit exceeded"

    def __init__(self, limit: int) -> None:
        detail = f"You can have at most {limit} carts; clear one to shop at another store."
        super().__init__(errors={"store_id": [detail]})


class CartItemNotFound(NotFound):
    """Missing and someone else's item ids are the same answer."""

    default_message = "Cart item not found"


class CartNotFound(NotFound):
    default_message = "Cart not found"
