"""CreateCart: open the user's cart for a store (``POST /carts/``)."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.carts.views import CartView
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.catalog.errors import UnknownStore


@dataclass(frozen=True)
class CreateCartResult:
    cart: CartView
    created: bool


class CreateCart:
    """Open a cart for a catalog store.

    - The store must be in the catalog and active (CART_002); its name is the catalog's, not the client's.
    - A cart the user already has for that store is returned as it is, never duplicated.
    - A sixth cart is CART_001, also when requests race: the user's carts are locked while deciding.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, store_id: str) -> CreateCartResult:
        async with self._uow() as uow:
            store = await uow.catalog.store(store_id)
            if store is None or not store.active:
                raise UnknownStore(store_id)
            book = await uow.carts.get(user_id)
            now = self._clock.now()
            cart, created = book.open_cart(store, now)
            if created:
                await uow.carts.save(book)
                await uow.commit()
        return CreateCartResult(cart=CartView.of(cart, now), created=created)
