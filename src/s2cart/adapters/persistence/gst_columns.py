"""An order's GST columns (migration 0049) to and from the domain: the mapper writes and loads them for
``Order`` (``mappers.map_orders``), the order reader builds its view with them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from s2cart.domain.orders.order import Order
from s2cart.domain.tax.gst import PlaceOfSupply, ShippingTax, TaxBreakup


def gst_columns(order: Order) -> dict[str, Any]:
    """The order row's GST columns but ``tax_mode``: all NULL in contract mode."""
    place, breakup = order.place_of_supply, order.tax_breakup
    shipping = breakup.shipping if breakup else None
    return {
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


def gst_of(columns: Any, shipping_cost: Decimal) -> tuple[PlaceOfSupply | None, TaxBreakup | None]:
    """``Order.place_of_supply`` and ``Order.tax_breakup`` from the columns (a row, or the mapped order's
    attributes of the same names): the inverse of ``gst_columns``. Shipping's taxable value is its cost."""
    place = None
    if columns.place_of_supply_code is not None:
        place = PlaceOfSupply(columns.place_of_supply_code, columns.place_of_supply_state)
    breakup = None
    if columns.cgst_amount is not None:
        shipping = ShippingTax(
            columns.shipping_gst_rate,
            shipping_cost,
            columns.shipping_cgst_amount,
            columns.shipping_sgst_amount,
            columns.shipping_igst_amount,
        )
        breakup = TaxBreakup(columns.cgst_amount, columns.sgst_amount, columns.igst_amount, shipping)
    return place, breakup
