"""Orders and payment attempts for the payment domain tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from s2cart.domain.orders.order import Order, OrderLine
from s2cart.domain.orders.pricing import OrderTotals
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.amounts import to_paise
from s2cart.domain.payments.attempts import References
from s2cart.domain.payments.facts import GatewayFacts, GatewayState
from s2cart.domain.payments.payment import Payment

START = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
TOTAL = Decimal("1130.00")


def an_order(order_id: int = 7, user_id: int = 1, total: Decimal = TOTAL) -> Order:
    return Order(
        id=order_id,
        user_id=user_id,
        order_number="ORD-20260120-0001",
        status=OrderStatus.PLACED,
        order_date=START,
        source_cart_id=3,
        store_id="store_123",
        lines=[OrderLine("store_123", "prod_001", "Wireless Headphones", None, None, 2, Decimal("500.00"))],
        totals=OrderTotals(Decimal("1000.00"), Decimal("180.00"), Decimal("50.00"), Decimal("100.00"), total),
        coupon_code="SAVE10",
        shipping_address={"city": "Mumbai"},
        estimated_delivery_date=START,
    )


def refs(n: int) -> References:
    return References(f"TXN_PAYTM_7_{n:010d}", f"ORD_PAYTM_7_{n:010d}")


def an_attempt(order: Order, payment_id: int = 1, now: datetime = START) -> Payment:
    assert order.id is not None
    payment = Payment.start(
        user_id=order.user_id,
        order_id=order.id,
        gateway="PAYTM",
        transaction_id=f"TXN_PAYTM_7_{payment_id:010d}",
        gateway_order_id=f"ORD_PAYTM_7_{payment_id:010d}",
        amount=order.totals.total_amount,
        now=now,
    )
    payment.id = payment_id
    return payment


MERCHANT = "MID_S2CART"


def said(state: GatewayState, payment: Payment, **overrides: object) -> GatewayFacts:
    """What a gateway's status read says about ``payment``: by default its own ids, merchant and amount."""
    fields: dict[str, object] = {
        "gateway_order_id": payment.gateway_order_id,
        "merchant_id": MERCHANT,
        "amount_paise": to_paise(payment.amount),
        "transaction_id": "PTM1" if state is GatewayState.SUCCESS else None,
        "mode": "upi" if state is GatewayState.SUCCESS else None,
        "code": {GatewayState.SUCCESS: "01", GatewayState.FAILURE: "227", GatewayState.NOT_FOUND: "331"}.get(
            state, "402"
        ),
    }
    fields.update(overrides)
    return GatewayFacts(payment.gateway, state, **fields)  # type: ignore[arg-type]
