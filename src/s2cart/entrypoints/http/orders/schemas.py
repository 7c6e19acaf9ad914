from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from s2cart.application.orders.quote import Quote
from s2cart.application.orders.views import OrderView
from s2cart.domain.orders.order import DeliveryTime
from s2cart.entrypoints.http.wire import money, wire_time


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


class OrderItemOut(msgspec.Struct, kw_only=True):
    id: int
    product_id: str
    product_name: str
    product_image_url: str | None
    product_variant: dict[str, str] | None
    quantity: int
    unit_price: float
    total_price: float


class OrderPaymentOut(msgspec.Struct, kw_only=True):
    id: int
    transaction_id: str
    amount: float
    status: str
    payment_type: str | None


class OrderOut(msgspec.Struct, kw_only=True):
    id: int
    order_number: str
    status: str
    order_date: datetime
    subtotal: float
    tax_amount: float
    shipping_cost: float
    discount_amount: float
    total_amount: float
    coupon_code: str | None
    tracking_number: str | None
    carrier_name: str | None
    estimated_delivery_date: datetime
    actual_delivery_date: datetime | None
    shipping_address_details: dict[str, Any]
    delivery_instructions: str
    preferred_delivery_time: str
    cancellation_reason: str | None
    cancelled_at: datetime | None
    paid_at: datetime | None
    items: list[OrderItemOut]
    payments: list[OrderPaymentOut]


def order_out(view: OrderView) -> OrderOut:
    return OrderOut(
        id=view.id,
        order_number=view.order_number,
        status=view.status,
        order_date=wire_time(view.order_date),  # type: ignore[arg-type]
        subtotal=money(view.subtotal),
        tax_amount=money(view.tax_amount),
        shipping_cost=money(view.shipping_cost),
        discount_amount=money(view.discount_amount),
        total_amount=money(view.total_amount),
        coupon_code=view.coupon_code,
        tracking_number=view.tracking_number,
        carrier_name=view.carrier_name,
        estimated_delivery_date=wire_time(view.estimated_delivery_date),  # type: ignore[arg-type]
        actual_delivery_date=wire_time(view.actual_delivery_date),
        shipping_address_details=view.shipping_address_details,
        delivery_instructions=view.delivery_instructions,
        preferred_delivery_time=view.preferred_delivery_time,
        cancellation_reason=view.cancellation_reason,
        cancelled_at=wire_time(view.cancelled_at),
        paid_at=wire_time(view.paid_at),
        items=[
            OrderItemOut(
                id=i.id,
                product_id=i.product_id,
                product_name=i.product_name,
                product_image_url=i.product_image_url,
                product_variant=i.product_variant,
                quantity=i.quantity,
                unit_price=money(i.unit_price),
                total_price=money(i.total_price),
            )
            for i in view.items
        ],
        payments=[
            OrderPaymentOut(
                id=p.id,
                transaction_id=p.transaction_id,
                amount=money(p.amount),
                status=p.status,
                payment_type=p.payment_type,
            )
            for p in view.payments
        ],
    )


class QuoteIn(msgspec.Struct, kw_only=True):
    """The body of POST /orders/: the address is optional here, delivery fields are accepted and unused."""

    cart_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    shipping_address_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] | None = None
    delivery_instructions: Annotated[str, msgspec.Meta(max_length=500)] = ""
    preferred_delivery_time: DeliveryTime = DeliveryTime.ANYTIME
    coupon_code: Annotated[str, msgspec.Meta(max_length=32)] | None = None


class QuoteItemOut(msgspec.Struct, kw_only=True):
    product_id: str
    product_name: str
    product_image_url: str | None
    product_variant: dict[str, str] | None
    quantity: int
    unit_price: float
    total_price: float


class QuoteProblemOut(msgspec.Struct, kw_only=True):
    product_id: str
    code: str
    message: str
    available: int


class QuoteOut(msgspec.Struct, kw_only=True):
    cart_id: int
    store_id: str
    items: list[QuoteItemOut]
    subtotal: float
    discount_amount: float
    tax_amount: float
    shipping_cost: float
    total_amount: float
    coupon_code: str | None
    problems: list[QuoteProblemOut]


def quote_out(quote: Quote) -> QuoteOut:
    totals = quote.totals
    return QuoteOut(
        cart_id=quote.cart_id,
        store_id=quote.store_id,
        items=[
            QuoteItemOut(
                product_id=line.product_id,
                product_name=line.product_name,
                product_image_url=line.product_image_url,
                product_variant=line.variant,
                quantity=line.quantity,
                unit_price=money(line.unit_price),
                total_price=money(line.total_price),
            )
            for line in quote.lines
        ],
        subtotal=money(totals.subtotal),
        discount_amount=money(totals.discount_amount),
        tax_amount=money(totals.tax_amount),
        shipping_cost=money(totals.shipping_cost),
        total_amount=money(totals.total_amount),
        coupon_code=quote.coupon_code,
        problems=[
            QuoteProblemOut(product_id=p.product_id, code=p.code, message=p.message, available=p.available)
            for p in quote.problems
        ],
    )
