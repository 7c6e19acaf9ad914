"""The order's life: which status may follow which, and who may ask for it."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from s2cart.domain.shared.errors import ValidationFailed


class OrderStatus(StrEnum):
    PLACED = "PLACED"
    CONFIRMED = "CONFIRMED"
    PROCESSING = "PROCESSING"
    PACKED = "PACKED"
    SHIPPED = "SHIPPED"
    OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"
    RETURNED = "RETURNED"
    REFUNDED = "REFUNDED"


S = OrderStatus
CANCELLABLE = frozenset({S.PLACED, S.CONFIRMED, S.PROCESSING, S.PACKED})

# Forward along the chain (a step may be skipped, never walked back), cancel before shipping,
# return or refund after delivery. Payment is a fact on the order (paid_at), not a status.
TRANSITIONS: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    S.PLACED: frozenset({S.CONFIRMED, S.PROCESSING, S.PACKED, S.SHIPPED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.PROCESSING, S.PACKED, S.SHIPPED, S.CANCELLED}),
    S.PROCESSING: frozenset({S.PACKED, S.SHIPPED, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.OUT_FOR_DELIVERY, S.DELIVERED}),
    S.OUT_FOR_DELIVERY: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset({S.RETURNED, S.REFUNDED}),
    S.RETURNED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}


class InvalidTransition(ValidationFailed):
    code = "ORDER_004"
    default_message = "Order status cannot change that way"

    def __init__(self, current: OrderStatus, target: OrderStatus) -> None:
        super().__init__(errors={"status": [f"An order that is {current.value} cannot become {target.value}."]})


class NotCancellable(ValidationFailed):
    code = "ORDER_003"
    default_message = "Order can no longer be cancelled"

    def __init__(self, current: OrderStatus) -> None:
        super().__init__(
            errors={"status": [f"An order that is {current.value} can no longer be cancelled; ask for a return."]}
        )


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    if target not in TRANSITIONS[current]:
        if target is S.CANCELLED:
            raise NotCancellable(current)
        raise InvalidTransition(current, target)
