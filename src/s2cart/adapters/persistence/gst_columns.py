"""An order's GST columns (migration 0049) to and from the domain, shared by the repository and the reader."""

from __future__ import annotations

from typing import Any

from s2cart.domain.orders.order import Order
from s2cart.domain.tax.gst import PlaceOfSupply, ShippingTax, TaxBreakup, TaxMode


def gst_columns(order: Order) -> dict[str, Any]:
    """The order row's GST columns (migration 0049): NULL but ``tax_mode`` in contract mode."""
    place, breakup = order.place_of_supply, order.tax_breakup
    shipping = breakup.shipping if breakup else None
    return {
        "tax_mode": order.tax_mode.value,
        "place_of_supply_code": place.state_code if place else None,
        "place_of_supply_state": place.state if place else None,
        "cgst_amount": breakup.cgst if breakup else None,
        "sgst_amount": breakup.sgst if breakup else None,
        "igst_amount": breakup.igst if breakup else None,
        "shipping_gst_rate": shipping.gst_rate if shipping else None,
        "shipping_cgst_amount": shipping.cgst_amount if shipping else None,
        "shipping_sgst_amount": shipping.sgst_amount if shipping else None,
        "shipping_igst_amount": shipping.igst_amount if shipping else None,
    }


def gst_of(row: Any) -> dict[str, Any]:
    """``Order``'s GST attributes from its row: the inverse of ``gst_columns``."""
    place = None
    if row.place_of_supply_code is not None:
        place = PlaceOfSupply(row.place_of_supply_code, row.place_of_supply_state)
    breakup = None
    if row.cgst_amount is not None:
        shipping = ShippingTax(
            row.shipping_gst_rate,
            row.shipping_cost,
            row.shipping_cgst_amount,
            row.shipping_sgst_amount,
            row.shipping_igst_amount,
        )
        breakup = TaxBreakup(row.cgst_amount, row.sgst_amount, row.igst_amount, shipping)
    return {"tax_mode": TaxMode(row.tax_mode), "place_of_supply": place, "tax_breakup": breakup}
