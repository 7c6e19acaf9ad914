"""Catalog facts a request can run into: unknown stores and products, not enough stock."""

from __future__ import annotations

from s2cart.domain.shared.errors import NotFound, ValidationFailed


class UnknownStore(NotFound):
    """The contract's CART_002: the store id names no store in the catalog."""

    code = "CART_002"
    default_message = "Invalid store ID"

    def __init__(self, store_id: str) -> None:
        super().__init__(errors={"store_id": [f"Store '{store_id[:64]}' was not found."]})


class ProductNotFound(NotFound):
    default_message = "Product not found"

    def __init__(self, store_id: str, product_id: str) -> None:
        message = f"Product '{product_id[:64]}' was not found in store '{store_id[:64]}'."
        super().__init__(errors={"product_id": [message]})


class OutOfStock(ValidationFailed):
    """The contract's CART_003: fewer units in stock than the line would hold."""

    code = "CART_003"
    default_message = "Item out of stock"

    def __init__(self, product_name: str, available: int) -> None:
        detail = (
            f"'{product_name}' is out of stock."
            if available <= 0
            else f"Only {available} of '{product_name}' in stock."
        )
        super().__init__(errors={"quantity": [detail]})
        self.available = max(available, 0)


class ItemUnavailable(ValidationFailed):
    """CART_004: a cart line's product (or its whole store) is no longer sold; checkout refuses the cart until
    the line is removed. The line stays visible in the cart, so the shopper sees what to remove."""

    code = "CART_004"
    default_message = "Item no longer available"

    def __init__(self, product_name: str, product_id: str, *, store_closed: bool = False) -> None:
        reason = "its store is not taking orders" if store_closed else "it is no longer sold"
        super().__init__(errors={"items": [f"'{product_name}' ({product_id[:64]}) cannot be ordered: {reason}."]})
        self.product_id = product_id
