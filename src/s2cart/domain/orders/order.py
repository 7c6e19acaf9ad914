"""The order: what was bought, at what price, where it goes, and where it is in its life."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from s2cart.domain.orders.pricing import OrderTotals
from s2cart.domain.orders.status import OrderStatus, check_transition
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.money import to_paise
from s2cart.domain.tax.gst import PlaceOfSupply, TaxBreakup, TaxMode


class DeliveryTime(StrEnum):
    MORNING = "MORNING"
    AFTERNOON = "AFTERNOON"
    EVENING = "EVENING"
    ANYTIME = "ANYTIME"


@dataclass(eq=False)
class OrderLine:
    """A snapshot of one cart line as ordered: nothing changes it after the order is placed."""

    store_id: str
    product_id: str
    product_name: str
    product_image_url: str | None
    variant: dict[str, str] | None
    quantity: int
    unit_price: Decimal
    id: int | None = None
    # GST mode only (None in contract mode): the product's HSN code and rate (percent) when ordered, the line
    # total less its share of the discount, and the tax on it by head (0.00 for the heads that do not apply).
    hsn_code: str | None = None
    gst_rate: Decimal | None = None
    taxable_value: Decimal | None = None
    cgst_amount: Decimal | None = None
    sgst_amount: Decimal | None = None
    igst_amount: Decimal | None = None

    @property
    def total_price(self) -> Decimal:
        return to_paise(self.unit_price * self.quantity)

    @property
    def discount_share(self) -> Decimal | None:
        """The line's share of the order's discount (GST mode), as the invoice shows it."""
        return None if self.taxable_value is None else self.total_price - self.taxable_value

    @property
    def tax_amount(self) -> Decimal | None:
        if self.cgst_amount is None or self.sgst_amount is None or self.igst_amount is None:
            return None
        return self.cgst_amount + self.sgst_amount + self.igst_amount


def order_number(day: datetime, sequence: int) -> str:
    return f"ORD-{day:%Y%m%d}-{sequence:04d}"


def estimated_delivery(order_date: datetime, days: int) -> datetime:
    """``days`` after the order, at 18:00 UTC."""
    return datetime.combine((order_date + timedelta(days=days)).date(), time(18, 0), tzinfo=order_date.tzinfo)


@dataclass(eq=False)
class Order:
    user_id: int
    order_number: str
    status: OrderStatus
    order_date: datetime
    source_cart_id: int
    store_id: str
    lines: list[OrderLine]
    totals: OrderTotals
    coupon_code: str | None
    shipping_address: dict[str, Any]
    estimated_delivery_date: datetime
    delivery_instructions: str = ""
    preferred_delivery_time: DeliveryTime = DeliveryTime.ANYTIME
    tracking_number: str | None = None
    carrier_name: str | None = None
    shipped_at: datetime | None = None
    actual_delivery_date: datetime | None = None
    cancellation_reason: str | None = None
    cancelled_at: datetime | None = None
    paid_at: datetime | None = None
    refund_due: bool = False
    updated_at: datetime | None = None
    # How the order was taxed. GST mode also keeps the place of supply and the tax by head (None in contract
    # mode); ``totals.tax_amount`` is then ``tax_breakup.total``.
    tax_mode: TaxMode = TaxMode.CONTRACT
    place_of_supply: PlaceOfSupply | None = None
    tax_breakup: TaxBreakup | None = None
    id: int | None = field(default=None)

    def cancel(self, reason: str, now: datetime) -> None:
        """Only before shipping. A paid order that is cancelled owes the customer a refund."""
        check_transition(self.status, OrderStatus.CANCELLED)
        self.status = OrderStatus.CANCELLED
        self.cancellation_reason = reason.strip()[:500] or "Cancelled by customer"
        self.cancelled_at = now
        self.refund_due = self.paid_at is not None
        self.updated_at = now

    def move_to(
        self, target: OrderStatus, now: datetime, tracking_number: str | None = None, carrier: str | None = None
    ) -> None:
        """The operator's way through the chain; cancellation goes through ``cancel``."""
        if target is OrderStatus.CANCELLED:
            self.cancel("Cancelled by S2Cart", now)
            return
        check_transition(self.status, target)
        if target is OrderStatus.SHIPPED:
            if not tracking_number:
                raise ValidationFailed.on("tracking_number", "A shipped order needs a tracking number.")
            self.shipped_at = now
        if target is OrderStatus.DELIVERED:
            self.actual_delivery_date = now
        if tracking_number:
            self.tracking_number = tracking_number
        if carrier:
            self.carrier_name = carrier
        self.status = target
        self.updated_at = now

    def mark_paid(self, now: datetime) -> None:
        if self.paid_at is None:
            self.paid_at = now
            self.updated_at = now
            if self.status is OrderStatus.CANCELLED:
                self.refund_due = True  # paid after it was cancelled: the money goes back
