"""The cart bodies; the answers are the application's ``CartView`` and ``CartItemView`` themselves."""

from __future__ import annotations

from typing import Annotated

import msgspec

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
