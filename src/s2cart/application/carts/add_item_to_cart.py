"""AddItemToCart: put units of a catalog product in the user's cart for its store (``POST /cart/items/``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from s2cart.application.carts.views import CartItemView
from s2cart.application.ports.carts import CartLineMerge, LineMerge
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.carts.quantity import DEFAULT_MAX_QUANTITY, check_quantity
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.errors import ProductNotFound, UnknownStore


@dataclass(frozen=True)
class AddItemToCartCommand:
    """No price, name or image: those come from the catalog, so a client's cannot be stored."""

    store_id: str
    product_id: str
    quantity: int = 1
    variant: Mapping[str, str] | None = None


class AddItemToCart:
    """Add a product to the store's cart, opening the cart when the user has none.

    - Unknown or inactive store: CART_002; a product the store does not sell (or no longer sells): 404.
    - Quantity is a whole number from 1 to the configured maximum, for the request and for the line.
    - The same product and variant adds to its line; the line takes the current catalog price.
    - Not enough stock for the product's units in the cart: CART_003.
    - A sixth cart is CART_001. The user's carts are locked while deciding, so parallel adds of one
      product end as one line holding every quantity.

    With ``merge`` (PostgreSQL, decision 0048) the common case, more units into an existing line that every rule
    above accepts, is one round trip under the same lock; anything else, refusals included, is the unit of work's.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        max_quantity: int = DEFAULT_MAX_QUANTITY,
        merge: CartLineMerge | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._max_quantity = max_quantity
        self._merge = merge

    async def __call__(self, user_id: int, command: AddItemToCartCommand) -> CartItemView:
        variant = Variant.of(command.variant)
        check_quantity(command.quantity, self._max_quantity)
        if self._merge is not None:
            merged = await self._merge.merge(
                LineMerge(
                    user_id,
                    command.store_id,
                    command.product_id,
                    variant,
                    command.quantity,
                    self._max_quantity,
                    self._clock.now(),
                )
            )
            if merged is not None:
                return merged
        async with self._uow() as uow:
            # The user's lock, the catalog's store and product, then the book: two statements (decision 0041).
            book, store, product = await uow.carts.get_for_adding(user_id, command.store_id, command.product_id)
            if store is None or not store.active:
                raise UnknownStore(command.store_id)
            if product is None or not product.active:
                raise ProductNotFound(store.id, command.product_id)
            line = book.add_item(store, product, command.quantity, variant, self._clock.now(), self._max_quantity)
            await uow.carts.save(book)
            await uow.commit()
        return CartItemView.of(line)
