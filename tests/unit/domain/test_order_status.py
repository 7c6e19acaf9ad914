from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from s2cart.domain.orders.order import Order, OrderLine, estimated_delivery, order_number
from s2cart.domain.orders.pricing import PricingPolicy, price
from s2cart.domain.orders.status import CANCELLABLE, TRANSITIONS, InvalidTransition, NotCancellable, OrderStatus
from s2cart.domain.shared.errors import ValidationFailed

NOW = datetime(2025, 1, 20, 10, 0, tzinfo=UTC)
ALLOWED = {
    ("PLACED", "CONFIRMED"), ("PLACED", "PROCESSING"), ("PLACED", "PACKED"), ("PLACED", "SHIPPED"),
    ("PLACED", "CANCELLED"), ("CONFIRMED", "PROCESSING"), ("CONFIRMED", "PACKED"), ("CONFIRMED", "SHIPPED"),
    ("CONFIRMED", "CANCELLED"), ("PROCESSING", "PACKED"), ("PROCESSING", "SHIPPED"), ("PROCESSING", "CANCELLED"),
    ("PACKED", "SHIPPED"), ("PACKED", "CANCELLED"), ("SHIPPED", "OUT_FOR_DELIVERY"), ("SHIPPED", "DELIVERED"),
    ("OUT_FOR_DELIVERY", "DELIVERED"), ("DELIVERED", "RETURNED"), ("DELIVERED", "REFUNDED"), ("RETURNED", "REFUNDED"),
}  # fmt: skip


def order(status: OrderStatus = OrderStatus.PLACED) -> Order:
    line = OrderLine("store_123", "prod_001", "Wireless Headphones", None, None, 2, Decimal("500.00"))
    return Order(
        user_id=1,
        order_number=order_number(NOW, 7),
        status=status,
        order_date=NOW,
        source_cart_id=1,
        store_id="store_123",
        lines=[line],
        totals=price([line.total_price], Decimal(0), PricingPolicy()),
        coupon_code=None,
        shipping_address={"city": "Mumbai"},
        estimated_delivery_date=estimated_delivery(NOW, 5),
    )


@pytest.mark.parametrize("current", list(OrderStatus))
@pytest.mark.parametrize("target", list(OrderStatus))
def test_every_transition_is_allowed_or_refused_as_the_table_says(current: OrderStatus, target: OrderStatus) -> None:
    subject = order(current)
    allowed = (current.value, target.value) in ALLOWED
    assert (target in TRANSITIONS[current]) is allowed
    if allowed:
        subject.move_to(target, NOW, tracking_number="TRK1", carrier="BlueDart")
        assert subject.status is target
    else:
        with pytest.raises((InvalidTransition, NotCancellable)):
            subject.move_to(target, NOW, tracking_number="TRK1")
        assert subject.status is current


def test_only_cancellable_states_cancel() -> None:
    assert {s.value for s in CANCELLABLE} == {"PLACED", "CONFIRMED", "PROCESSING", "PACKED"}
    shipped = order(OrderStatus.SHIPPED)
    with pytest.raises(NotCancellable) as caught:
        shipped.cancel("changed my mind", NOW)
    assert caught.value.code == "ORDER_003"


def test_cancelling_a_paid_order_records_a_refund_due() -> None:
    paid = order()
    paid.mark_paid(NOW)
    paid.cancel("", NOW)
    assert (paid.status, paid.refund_due, paid.cancellation_reason) == (
        OrderStatus.CANCELLED,
        True,
        "Cancelled by customer",
    )
    unpaid = order()
    unpaid.cancel("wrong size", NOW)
    assert unpaid.refund_due is False


def test_shipping_needs_a_tracking_number_and_delivery_records_the_time() -> None:
    subject = order(OrderStatus.PACKED)
    with pytest.raises(ValidationFailed):
        subject.move_to(OrderStatus.SHIPPED, NOW)
    subject.move_to(OrderStatus.SHIPPED, NOW, tracking_number="TRK123", carrier="BlueDart")
    subject.move_to(OrderStatus.DELIVERED, NOW)
    assert (subject.shipped_at, subject.actual_delivery_date, subject.carrier_name) == (NOW, NOW, "BlueDart")


def test_numbers_and_delivery_dates() -> None:
    assert order_number(NOW, 7) == "ORD-20250120-0007"
    assert order_number(NOW, 12345) == "ORD-20250120-12345"
    assert estimated_delivery(NOW, 5) == datetime(2025, 1, 25, 18, 0, tzinfo=UTC)
