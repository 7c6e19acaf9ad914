"""RemoveCartItem: delete one line (``DELETE /cart/items/{item_id}/``)."""

from __future__ import annotations

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory


class RemoveCartItem:
    """Remove one of the user's lines.

    - Another user's item id is NotFound, exactly like a missing one.
    - The cart stays, empty if that was its last line (clearing is what gives up a cart).
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, item_id: int) -> None:
        async with self._uow() as uow:
            book = await uow.carts.get(user_id)
            book.remove_item(item_id, self._clock.now())
            await uow.carts.save(book)
            await uow.commit()
