"""ClearCarts: empty one store's cart or all of them (``POST /cart/clear/``)."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.ports.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class ClearCartsResult:
    carts_cleared: int
    items_removed: int


class ClearCarts:
    """Remove a store's cart, or every cart of the user when no store is given, with all their lines.

    - A cleared cart is gone, not kept empty, so it no longer counts towards the five-cart limit.
    - Clearing a store the user has no cart for changes nothing and is not an error (retries are safe).
    """

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, user_id: int, store_id: str | None = None) -> ClearCartsResult:
        async with self._uow() as uow:
            book = await uow.carts.get(user_id)
            gone = book.clear(store_id)
            if gone:
                await uow.carts.save(book)
                await uow.commit()
        return ClearCartsResult(carts_cleared=len(gone), items_removed=sum(len(c.items) for c in gone))
