"""What the cart pages and the cart use cases return: the contract's Cart model itself, answered as it is
(``entrypoints/http/wire.py`` writes its Decimal amounts and times). The stored ``created_at`` of a cart and
``updated_at`` of a line are not on the wire, so they are not here either."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from s2cart.domain.carts.cart import Cart, CartItem, held_coupon_discount
from s2cart.domain.catalog.coupon import Coupon
from s2cart.domain.shared.money import ZERO, to_paise


@dataclass(frozen=True)
class CartItemView:
    id: int
    product_id: str
    product_name: str
    product_image_url: str | None
    product_variant: dict[str, str] | None
    quantity: int
    unit_price: Decimal
    total_price: Decimal
    added_at: datetime

    @classmethod
    def of(cls, item: CartItem) -> CartItemView:
        if item.id is None:
            raise ValueError("a cart line is shown only once it is saved")
        return cls.line(
            id=item.id,
            product_id=item.product_id,
            product_name=item.product_name,
            product_image_url=item.product_image_url,
            product_variant=item.variant.as_dict() or None,
            quantity=item.quantity,
            unit_price=item.unit_price,
            added_at=item.added_at,
        )

    @classmethod
    def line(
        cls,
        *,
        id: int,
        product_id: str,
        product_name: str,
        product_image_url: str | None,
        product_variant: dict[str, str] | None,
        quantity: int,
        unit_price: Decimal,
        added_at: datetime,
    ) -> CartItemView:
        """A view whose line total is computed here, the one place reads and writes share."""
        return cls(
            id=id,
            product_id=product_id,
            product_name=product_name,
            product_image_url=product_image_url,
            product_variant=product_variant,
            quantity=quantity,
            unit_price=unit_price,
            total_price=to_paise(unit_price * quantity),
            added_at=added_at,
        )


@dataclass(frozen=True)
class CartView:
    id: int
    store_id: str
    store_name: str
    total_price: Decimal
    item_count: int
    applied_coupon: str | None
    coupon_discount: Decimal
    updated_at: datetime
    items: tuple[CartItemView, ...]

    @classmethod
    def of(cls, cart: Cart, now: datetime) -> CartView:
        """The cart as shown; its coupon discount as of ``now`` (the caller's clock)."""
        if cart.id is None:
            raise ValueError("a cart is shown only once it is saved")
        view = cls.assemble(
            id=cart.id,
            store_id=cart.store_id,
            store_name=cart.store_name,
            updated_at=cart.updated_at,
            items=[CartItemView.of(item) for item in cart.items],
        )
        return view.with_coupon(cart.coupon_code, cart.coupon, now)

    def with_coupon(self, code: str | None, coupon: Coupon | None, now: datetime) -> CartView:
        """This view holding ``code``, with the discount ``coupon`` gives its lines at ``now``."""
        if code is None:
            return self
        return replace(self, applied_coupon=code, coupon_discount=held_coupon_discount(coupon, self.total_price, now))

    @classmethod
    def assemble(
        cls,
        *,
        id: int,
        store_id: str,
        store_name: str,
        updated_at: datetime,
        items: Sequence[CartItemView],
    ) -> CartView:
        """Totals from the Decimal line totals, without a coupon (null and 0): ``with_coupon`` adds it."""
        return cls(
            id=id,
            store_id=store_id,
            store_name=store_name,
            total_price=sum((item.total_price for item in items), ZERO),
            item_count=sum(item.quantity for item in items),
            applied_coupon=None,
            coupon_discount=ZERO,
            updated_at=updated_at,
            items=tuple(items),
        )
