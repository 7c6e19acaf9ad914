"""The bodies that place and cancel an order; the answer is the application's ``OrderView`` itself."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from s2cart.application.orders.quote import Quote
from s2cart.domain.orders.order import DeliveryTime
from s2cart.domain.tax.gst import PlaceOfSupply, TaxBreakup


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
    unit_price: Decimal
    total_price: Decimal
    # GST mode; null in contract mode (as on the order's items).
    hsn_code: str | None = None
    gst_rate: Decimal | None = None
    taxable_value: Decimal | None = None
    cgst_amount: Decimal | None = None
    sgst_amount: Decimal | None = None
    igst_amount: Decimal | None = None


class QuoteProblemOut(msgspec.Struct, kw_only=True):
    product_id: str
    code: str
    message: str
    available: int


class QuoteOut(msgspec.Struct, kw_only=True):
    cart_id: int
    store_id: str
    items: list[QuoteItemOut]
    subtotal: Decimal
    discount_amount: Decimal
    tax_amount: Decimal
    shipping_cost: Decimal
    total_amount: Decimal
    coupon_code: str | None
    problems: list[QuoteProblemOut]
    tax_mode: str = "contract"
    place_of_supply: PlaceOfSupply | None = None
    place_of_supply_assumed: bool = False
    tax_breakup: TaxBreakup | None = None


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
                unit_price=line.unit_price,
                total_price=line.total_price,
                hsn_code=line.hsn_code,
                gst_rate=line.gst_rate,
                taxable_value=line.taxable_value,
                cgst_amount=line.cgst_amount,
                sgst_amount=line.sgst_amount,
                igst_amount=line.igst_amount,
            )
            for line in quote.lines
        ],
        subtotal=totals.subtotal,
        discount_amount=totals.discount_amount,
        tax_amount=totals.tax_amount,
        shipping_cost=totals.shipping_cost,
        total_amount=totals.total_amount,
        coupon_code=quote.coupon_code,
        problems=[
            QuoteProblemOut(product_id=p.product_id, code=p.code, message=p.message, available=p.available)
            for p in quote.problems
        ],
        tax_mode=quote.tax_mode.value,
        place_of_supply=quote.place_of_supply,
        place_of_supply_assumed=quote.place_of_supply_assumed,
        tax_breakup=quote.tax_breakup,
    )
