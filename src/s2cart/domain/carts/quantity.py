from __future__ import annotations

from s2cart.domain.shared.errors import ValidationFailed

DEFAULT_MAX_QUANTITY = 99


def check_quantity(quantity: object, max_quantity: int) -> int:
    """A requested quantity: a whole number from 1 to ``max_quantity`` (removing a line is its own act)."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= max_quantity:
        raise ValidationFailed.on("quantity", f"Quantity must be a whole number from 1 to {max_quantity}.")
    return quantity


def check_line_quantity(quantity: int, max_quantity: int) -> int:
    """The quantity a line would hold after merging; over the cap it is refused, never clamped."""
    if quantity > max_quantity:
        raise ValidationFailed.on("quantity", f"The line would hold {quantity}; a line holds at most {max_quantity}.")
    return quantity
