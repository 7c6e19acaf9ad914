"""What the order pages return: the contract's Order model, read straight from the tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from s2cart.domain.tax.gst import PlaceOfSupply, TaxBreakup


@dataclass(frozen=True)
class OrderItemView:
    id: int
    product_id: str
    product_name: str
    product_image_url: str | None
    product_variant: dict[str, str] | None
    quantity: int
    unit_price: Decimal
    total_price: Decimal
    # GST mode (S2CART_TAX_MODE=gst); null in contract mode. Additive: not in the contract's Order model.
    hsn_code: str | None = None
    gst_rate: Decimal | None = None
    taxable_value: Decimal | None = None
    cgst_amount: Decimal | None = None
    sgst_amount: Decimal | None = None
    igst_amount: Decimal | None = None


@dataclass(frozen=True)
class OrderPaymentView:
    id: int
    transaction_id: str
    amount: Decimal
    status: str
    payment_type: str | None


@dataclass(frozen=True)
class OrderView:
    id: int
    order_number: str
    status: str
    order_date: datetime
    subtotal: Decimal
    tax_amount: Decimal
    shipping_cost: Decimal
    discount_amount: Decimal
    total_amount: Decimal
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
    items: tuple[OrderItemView, ...]
    payments: tuple[OrderPaymentView, ...]
    # How the order was taxed ("contract" or "gst"); in GST mode its place of supply and tax by head (totals
    # over lines and shipping, with shipping's part), null in contract mode. Additive to the contract.
    tax_mode: str = "contract"
    place_of_supply: PlaceOfSupply | None = None
    tax_breakup: TaxBreakup | None = None
