"""GST-mode orders priced by the domain's own ``price_gst``, for the invoice tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from s2cart.domain.catalog.store import Store
from s2cart.domain.orders.order import Order, OrderLine
from s2cart.domain.orders.pricing import GstLine, PricingPolicy, price_gst
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.tax.gst import PlaceOfSupply, TaxMode

PAID_AT = datetime(2026, 12, 6, 6, 30, tzinfo=UTC)
STORE = Store(
    id="store_123",
    name="SuperMart",
    address="12, 80 Feet Road",
    city="Bengaluru",
    pincode="560034",
    state_code="29",
    legal_name="SuperMart Retail Private Limited",
    gstin="29AAKCS4821M1ZS",
)
# name, HSN, rate (percent), unit price, quantity
CART = (
    ("Wireless Headphones", "8518", "18", "500.00", 2),
    ("Basmati Rice 5 kg", "1006", "5", "649.00", 1),
    ("Iodised Salt 1 kg", "2501", "0", "28.00", 3),
    ("Cola 2 L", "2202", "40", "95.00", 2),
)


def gst_order(state_code: str = "29", discount: str = "150.00", paid: bool = True) -> Order:
    raw = [(name, hsn, Decimal(rate), Decimal(price), quantity) for name, hsn, rate, price, quantity in CART]
    pricing = price_gst(
        [GstLine(price * quantity, rate, hsn) for _, hsn, rate, price, quantity in raw],
        Decimal(discount),
        PricingPolicy(tax_mode=TaxMode.GST),
        store_state_code="29",
        place_of_supply=PlaceOfSupply.of(state_code),
    )
    lines = [
        OrderLine(
            "store_123",
            f"prod_{index}",
            name,
            None,
            {"pack": "family"} if index == 2 else None,
            quantity,
            price,
            id=index,
            hsn_code=taxed.hsn_code,
            gst_rate=taxed.gst_rate,
            taxable_value=taxed.taxable_value,
            cgst_amount=taxed.cgst_amount,
            sgst_amount=taxed.sgst_amount,
            igst_amount=taxed.igst_amount,
        )
        for index, ((name, _, _, price, quantity), taxed) in enumerate(zip(raw, pricing.lines, strict=True), 1)
    ]
    return Order(
        user_id=1,
        order_number="ORD-20261206-0007",
        status=OrderStatus.PLACED,
        order_date=PAID_AT,
        source_cart_id=1,
        store_id="store_123",
        lines=lines,
        totals=pricing.totals,
        coupon_code="FLAT150",
        shipping_address={
            "contact_name": "Asha Rao",
            "full_address": "12 MG Road, Bengaluru, Karnataka 560001",
            "state": "Karnataka",
        },
        estimated_delivery_date=PAID_AT,
        paid_at=PAID_AT if paid else None,
        tax_mode=TaxMode.GST,
        place_of_supply=pricing.place_of_supply,
        tax_breakup=pricing.breakup,
        id=7,
    )
