from __future__ import annotations

from s2cart.domain.shared.errors import Conflict, NotFound, ValidationFailed


class EmptyCart(ValidationFailed):
    code = "ORDER_001"
    default_message = "Cart is empty"

    def __init__(self) -> None:
        super().__init__(errors={"cart_id": ["The cart has no items to order."]})


class CartAlreadyOrdered(Conflict):
    code = "ORDER_002"
    default_message = "An order was already placed from this cart"


class OrderNotFound(NotFound):
    default_message = "Order not found"


class AddressNotFound(NotFound):
    default_message = "Shipping address not found"
