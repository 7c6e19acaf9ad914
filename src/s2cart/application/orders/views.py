"""What the order pages return: the contract's Order model, read straight from the tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any


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
