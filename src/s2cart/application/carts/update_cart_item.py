"""UpdateCartItem: change a line's quantity or variant (``PATCH /cart/items/{item_id}/``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from s2cart.application.carts.views import CartItemView
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.carts.quantity import DEFAULT_MAX_QUANTITY, check_quantity
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.errors import ProductNotFound


@dataclass(frozen=True)
class UpdateCartItemCommand:
    """``None`` leaves a field as it is; an empty variant clears it."""

    item_id: int
    quantity: int | None = None
    variant: Mapping[str, str] | None = None


class UpdateCartItem:
    """Change one of the user's lines.

    - Another user's item id is NotFound, exactly like a missing one.
    - Quantity: a whole number from 1 to the maximum (0 is not a removal; removing is its own use case).
    - Stock is checked for the new quantity (CART_003) and the line takes the current catalog price.
    - Moving the line onto a variant that already has a line merges the two into the edited line.
    - Neither field given: the line is returned unchanged.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, max_quantity: int = DEFAULT_MAX_QUANTITY) -> None:
        self._uow = uow
        self._clock = clock
        self._max_quantity = max_quantity

    async def __call__(self, user_id: int, command: UpdateCartItemCommand) -> CartItemView:
        variant = None if command.variant is None else Variant.of(command.variant)
        if command.quantity is not None:
            check_quantity(command.quantity, self._max_quantity)
        async with self._uow() as uow:
            book = await uow.carts.get(user_id)
            cart, line = book.find_item(command.item_id)
            if command.quantity is None and variant is None:
                return CartItemView.of(line)
            product = await uow.catalog.product(cart.store_id, line.product_id)
            if product is None:
                raise ProductNotFound(cart.store_id, line.product_id)
            line = book.update_item(
                command.item_id,
                product,
                self._clock.now(),
                quantity=command.quantity,
                variant=variant,
                max_quantity=self._max_quantity,
            )
            await uow.carts.save(book)
            await uow.commit()
        return CartItemView.of(line)
