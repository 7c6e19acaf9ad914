"""CartBook: all of one user's carts, the aggregate that guards the cart rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from s2cart.domain.carts.cart import Cart, CartItem
from s2cart.domain.carts.errors import CartItemNotFound, CartLimitExceeded
from s2cart.domain.carts.quantity import DEFAULT_MAX_QUANTITY
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store

MAX_CARTS = 5


@dataclass(eq=False)
class CartBook:
    """A user's carts.

    - At most ``MAX_CARTS`` carts, one per store (CART_001 past the limit).
    - Adding a product the user has no cart for opens that store's cart.
    - The same product and variant is one line; adding it again adds to its quantity.
    - Only lines of this book can be found: another user's item ids are simply not found.
    """

    user_id: int
    carts: list[Cart] = field(default_factory=list)

    def cart_for(self, store_id: str) -> Cart | None:
        return next((cart for cart in self.carts if cart.store_id == store_id), None)

    def open_cart(self, store: Store, now: datetime) -> tuple[Cart, bool]:
        """The store's cart, and whether it was opened just now."""
        existing = self.cart_for(store.id)
        if existing is not None:
            return existing, False
        self._ensure_room()
        cart = Cart.new(store, now)
        self.carts.append(cart)
        return cart, True

    def add_item(
        self,
        store: Store,
        product: Product,
        quantity: int,
        variant: Variant,
        now: datetime,
        max_quantity: int = DEFAULT_MAX_QUANTITY,
    ) -> CartItem:
        cart = self.cart_for(store.id)
        if cart is not None:
            line = cart.add(product, quantity, variant, now, max_quantity)
            cart.store_name = store.name
            return line
        self._ensure_room()
        cart = Cart.new(store, now)
        line = cart.add(product, quantity, variant, now, max_quantity)  # refused: the cart never joins
        self.carts.append(cart)
        return line

    def find_item(self, item_id: int) -> tuple[Cart, CartItem]:
        for cart in self.carts:
            for item in cart.items:
                if item.id is not None and item.id == item_id:
                    return cart, item
        raise CartItemNotFound()

    def update_item(
        self,
        item_id: int,
        product: Product,
        now: datetime,
        *,
        quantity: int | None = None,
        variant: Variant | None = None,
        max_quantity: int = DEFAULT_MAX_QUANTITY,
    ) -> CartItem:
        cart, line = self.find_item(item_id)
        return cart.change(line, product, now, max_quantity, quantity=quantity, variant=variant)

    def remove_item(self, item_id: int, now: datetime) -> CartItem:
        cart, line = self.find_item(item_id)
        cart.remove(line, now)
        return line

    def clear(self, store_id: str | None = None) -> list[Cart]:
        """Drop one store's cart (or all of them) with its lines, freeing the slot; returns what went."""
        gone = [cart for cart in self.carts if store_id is None or cart.store_id == store_id]
        self.carts = [cart for cart in self.carts if cart not in gone]
        return gone

    def _ensure_room(self) -> None:
        if len(self.carts) >= MAX_CARTS:
            raise CartLimitExceeded(MAX_CARTS)
