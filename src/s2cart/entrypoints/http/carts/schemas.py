from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from s2cart.application.carts.views import CartItemView, CartView
from s2cart.entrypoints.http.wire import money, wire_time

Identifier = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
VariantIn = Annotated[
    dict[Annotated[str, msgspec.Meta(min_length=1, max_length=50)], Annotated[str, msgspec.Meta(max_length=100)]],
    msgspec.Meta(max_length=10),
]
Quantity = Annotated[int, msgspec.Meta(ge=-1_000_000, le=1_000_000)]


class CreateCartIn(msgspec.Struct, kw_only=True):
    store_id: Identifier
    store_name: Annotated[str, msgspec.Meta(max_length=150)] | None = None  # shown by the client; the catalog's wins


class AddItemIn(msgspec.Struct, kw_only=True):
    """``product_name``, ``product_image_url`` and ``unit_price`` are accepted as the contract shows and
    validated, but never stored: the catalog's name, image and price are the ones that count."""

    store_id: Identifier
    product_id: Identifier
    quantity: Quantity = 1
    product_variant: VariantIn | None = None
    product_name: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    product_image_url: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    # Validated and dropped: a float is fine for a number nobody stores.
    unit_price: Annotated[float, msgspec.Meta(ge=0, le=10_000_000)] | None = None


class UpdateItemIn(msgspec.Struct, kw_only=True):
    quantity: Quantity | None = None
    product_variant: VariantIn | None = None


class CouponIn(msgspec.Struct, kw_only=True):
    coupon_code: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class ClearIn(msgspec.Struct, kw_only=True):
    store_id: Identifier | None = None


class CartItemOut(msgspec.Struct, kw_only=True):
    id: int
    product_id: str
    product_name: str
    product_image_url: str | None
    product_variant: dict[str, str] | None
    quantity: int
    unit_price: float
    total_price: float
    added_at: datetime


class CartOut(msgspec.Struct, kw_only=True):
    id: int
    store_id: str
    store_name: str
    total_price: float
    item_count: int
    applied_coupon: str | None
    coupon_discount: float
    updated_at: datetime
    items: list[CartItemOut]


def item_out(item: CartItemView) -> CartItemOut:
    return CartItemOut(
        id=item.id,
        product_id=item.product_id,
        product_name=item.product_name,
        product_image_url=item.product_image_url,
        product_variant=item.product_variant,
        quantity=item.quantity,
        unit_price=money(item.unit_price),
        total_price=money(item.total_price),
        added_at=wire_time(item.added_at),  # type: ignore[arg-type]
    )


def cart_out(cart: CartView) -> CartOut:
    return CartOut(
        id=cart.id,
        store_id=cart.store_id,
        store_name=cart.store_name,
        total_price=money(cart.total_price),
        item_count=cart.item_count,
        applied_coupon=cart.applied_coupon,
        coupon_discount=money(cart.coupon_discount),
        updated_at=wire_time(cart.updated_at),  # type: ignore[arg-type]
        items=[item_out(item) for item in cart.items],
    )
