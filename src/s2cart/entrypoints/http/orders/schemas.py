"""The bodies that place and cancel an order; the answer is the application's ``OrderView`` itself."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from s2cart.domain.orders.order import DeliveryTime


class PlaceOrderIn(msgspec.Struct, kw_only=True):
    cart_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    shipping_address_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    delivery_instructions: Annotated[str, msgspec.Meta(max_length=500)] = ""
    preferred_delivery_time: DeliveryTime = DeliveryTime.ANYTIME
    coupon_code: Annotated[str, msgspec.Meta(max_length=32)] | None = None


class CancelOrderIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A customer may only cancel; any other field is refused (400) rather than ignored."""

    status: Literal["CANCELLED"]
    cancellation_reason: Annotated[str, msgspec.Meta(max_length=500)] = ""
