"""The cart pages' reads: straight from the reader, no aggregate loaded and nothing locked."""

from __future__ import annotations

from s2cart.application.carts.views import CartView
from s2cart.application.ports.carts import CartReader
from s2cart.domain.carts.errors import CartNotFound


class ListCarts:
    """The user's carts with their lines (``GET /carts/``), oldest cart first."""

    def __init__(self, reader: CartReader) -> None:
        self._reader = reader

    async def __call__(self, user_id: int) -> list[CartView]:
        return await self._reader.carts_of(user_id)


class GetStoreCart:
    """The user's cart for one store (``GET /carts/store/{store_id}/``); NotFound when there is none."""

    def __init__(self, reader: CartReader) -> None:
        self._reader = reader

    async def __call__(self, user_id: int, store_id: str) -> CartView:
        cart = await self._reader.cart_for_store(user_id, store_id)
        if cart is None:
            raise CartNotFound()
        return cart
