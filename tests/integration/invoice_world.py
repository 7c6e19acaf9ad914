"""Paying and cancelling GST-mode orders for the invoice tests: orders are placed over HTTP as a customer would,
and paid through Settlement (the one path that pays an order) with a gateway's success facts."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pypdf import PdfReader

from s2cart.domain.payments.facts import GatewayFacts, GatewayState
from s2cart.domain.payments.payment import Payment
from s2cart.entrypoints.container import Container

MERCHANT = "MERCHANT_INVOICE_TESTS"
KARNATAKA = {
    "contact_name": "Asha Rao",
    "street_address": "12 MG Road",
    "city": "Bengaluru",
    "state": "Karnataka",
    "pin_code": "560001",
    "country": "India",
    "phone_number": "+919876543210",
    "address_type": "HOME",
}
MAHARASHTRA = {**KARNATAKA, "city": "Mumbai", "state": "Maharashtra", "pin_code": "400001"}


async def start_payment(container: Container, order_id: int) -> tuple[int, GatewayFacts]:
    """A PENDING attempt for the order's total, committed, and the facts of its success at the gateway."""
    async with container.uow() as uow:
        order = await uow.orders.find(str(order_id))
        assert order is not None
        payment = Payment.start(
            user_id=order.user_id,
            order_id=order_id,
            gateway="PHONEPE",
            transaction_id=f"TXN_TEST_{order_id}",
            gateway_order_id=f"GW_TEST_{order_id}",
            amount=order.totals.total_amount,
            now=datetime.now(UTC),
        )
        await uow.payments.add(payment)
        await uow.commit()
    assert payment.id is not None
    facts = GatewayFacts(
        gateway="PHONEPE",
        state=GatewayState.SUCCESS,
        gateway_order_id=payment.gateway_order_id,
        merchant_id=MERCHANT,
        amount_paise=int(order.totals.total_amount * 100),
        transaction_id=f"T{order_id}",
        mode="UPI",
    )
    return payment.id, facts


async def pay(container: Container, order_id: int) -> None:
    payment_id, facts = await start_payment(container, order_id)
    settled = await container.settlement().apply(payment_id, facts, MERCHANT)
    assert settled.captured


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def amount(value: Any) -> Decimal:
    return Decimal(str(value))
