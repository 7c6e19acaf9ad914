"""GST mode (S2CART_TAX_MODE=gst) over HTTP, on both databases: orders within the store's state (CGST + SGST)
and across states (IGST) at 0, 5, 18 and 40%, a coupon allocated to the lines paise-exact, the quote's same
numbers, an address GST cannot place refused, and the contract mode's answer unchanged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from s2cart.adapters.persistence.tables.orders import orders
from s2cart.application.catalog.catalog_document import CatalogDocument
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import Client
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.test_orders import ADDRESS, Shopper, new_shopper, stock_of
from tests.integration.mailbox import Mailbox

QUOTE = "/api/auth/orders/quote/"
KIRANA = "store_246"  # Namma Kirana, Mysuru, Karnataka (29)
SLABS = {"0": "prod_507", "5": "prod_504", "18": "prod_511", "40": "prod_510"}  # salt, rice, detergent, cola
PRICES = {"prod_507": 28.0, "prod_504": 499.0, "prod_511": 140.0, "prod_510": 40.0}
HSN = {"prod_507": "2501", "prod_504": "1006", "prod_511": "3402", "prod_510": "22021010"}
GST_ITEM_FIELDS = ("hsn_code", "gst_rate", "taxable_value", "cgst_amount", "sgst_amount", "igst_amount")


@pytest.fixture
def tax_mode() -> str:
    return "gst"


@pytest.fixture
def settings(database_url: str, mailbox: Mailbox, tax_mode: str) -> Settings:
    return make_settings(database_url, smtp_host="127.0.0.1", smtp_port=mailbox.port, tax_mode=tax_mode)


@pytest.fixture
async def shopper(client: Client, container: Container, mailbox: Mailbox) -> Shopper:
    await load_demo_catalog(container)
    return await new_shopper(client, mailbox)  # its address is in Maharashtra (27)


async def address_in(shopper: Shopper, state: str) -> int:
    created = await shopper.client.post(
        "/api/auth/addresses/", headers=shopper.headers, json={**ADDRESS, "state": state, "city": "Somewhere"}
    )
    assert created.status_code == 201, created.text
    return int(created.json()["data"]["id"])


async def order_count(container: Container) -> int:
    async with container.engine().connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(orders))).scalar_one())


def amounts(body: dict[str, Any]) -> tuple[float, ...]:
    return tuple(body[k] for k in ("subtotal", "discount_amount", "tax_amount", "shipping_cost", "total_amount"))


async def place_and_quote(shopper: Shopper, cart_id: int, address_id: int, **extra: Any) -> dict[str, Any]:
    """The order placed, after checking that the quote for it had every one of its GST numbers."""
    body = {"cart_id": cart_id, "shipping_address_id": address_id, **extra}
    quote = await shopper.client.post(QUOTE, headers=shopper.headers, json=body)
    assert quote.status_code == 200, quote.text
    placed = await shopper.client.post("/api/auth/orders/", headers=shopper.headers, json=body)
    assert placed.status_code == 201, placed.text
    order, quoted = placed.json()["data"], quote.json()["data"]
    assert amounts(order) == amounts(quoted)
    for key in ("tax_mode", "place_of_supply", "tax_breakup"):
        assert order[key] == quoted[key], key
    assert quoted["place_of_supply_assumed"] is False
    assert [{k: i[k] for k in GST_ITEM_FIELDS} for i in order["items"]] == [
        {k: i[k] for k in GST_ITEM_FIELDS} for i in quoted["items"]
    ]
    again = await shopper.client.get(f"/api/auth/orders/{order['id']}/", headers=shopper.headers)
    assert again.json()["data"] == order  # what was stored reads back the same
    return dict(order)


@pytest.mark.parametrize("rate", list(SLABS))
@pytest.mark.parametrize("state", ["Karnataka", "Maharashtra"])
async def test_each_slab_within_and_across_states(shopper: Shopper, rate: str, state: str) -> None:
    product = SLABS[rate]
    cart_id = await shopper.add(KIRANA, product, 2)
    address_id = shopper.address_id if state == "Maharashtra" else await address_in(shopper, "karnataka")
    order = await place_and_quote(shopper, cart_id, address_id)

    value = 2 * PRICES[product]
    tax_on_goods, tax_on_shipping = round(value * float(rate) / 100, 2), round(50 * float(rate) / 100, 2)
    tax = round(tax_on_goods + tax_on_shipping, 2)
    assert amounts(order) == (value, 0.0, tax, 50.0, round(value + tax + 50, 2))
    [item] = order["items"]
    intra = state == "Karnataka"
    half = round(tax_on_goods / 2, 2)
    assert {k: item[k] for k in GST_ITEM_FIELDS} == {
        "hsn_code": HSN[product],
        "gst_rate": float(rate),
        "taxable_value": value,
        "cgst_amount": half if intra else 0.0,
        "sgst_amount": half if intra else 0.0,
        "igst_amount": 0.0 if intra else tax_on_goods,
    }
    assert order["tax_mode"] == "gst"
    assert order["place_of_supply"] == (
        {"state_code": "29", "state": "Karnataka"} if intra else {"state_code": "27", "state": "Maharashtra"}
    )
    breakup = order["tax_breakup"]
    assert breakup["cgst"] + breakup["sgst"] + breakup["igst"] == pytest.approx(order["tax_amount"], abs=1e-9)
    assert (breakup["igst"] == 0) is (intra or rate == "0")
    assert breakup["shipping"] == {
        "gst_rate": float(rate),
        "taxable_value": 50.0,
        "cgst_amount": tax_on_shipping / 2 if intra else 0.0,
        "sgst_amount": tax_on_shipping / 2 if intra else 0.0,
        "igst_amount": 0.0 if intra else tax_on_shipping,
    }


async def _mixed_cart(shopper: Shopper) -> int:
    for product, quantity in (("prod_504", 2), ("prod_507", 3), ("prod_511", 1), ("prod_510", 2)):
        cart_id = await shopper.add(KIRANA, product, quantity)
    return cart_id


async def test_a_coupon_is_allocated_to_the_lines_exactly_within_the_state(shopper: Shopper) -> None:
    cart_id = await _mixed_cart(shopper)
    order = await place_and_quote(shopper, cart_id, await address_in(shopper, "KA"), coupon_code="flat50")
    assert amounts(order) == (1302.0, 50.0, 123.0, 50.0, 1425.0)
    lines = {i["product_id"]: i for i in order["items"]}
    # 50.00 over 998.00, 84.00, 140.00 and 80.00: 38.32, 3.23, 5.38 and 3.07 by largest remainder.
    shares = {p: round(i["total_price"] - i["taxable_value"], 2) for p, i in lines.items()}
    assert shares == {"prod_504": 38.32, "prod_507": 3.23, "prod_511": 5.38, "prod_510": 3.07}
    assert [(lines[p]["cgst_amount"], lines[p]["sgst_amount"]) for p in ("prod_504", "prod_511", "prod_510")] == [
        (23.99, 23.99),
        (12.12, 12.12),
        (15.39, 15.39),
    ]
    assert order["tax_breakup"]["cgst"] == order["tax_breakup"]["sgst"] == 61.5
    assert order["tax_breakup"]["shipping"]["gst_rate"] == 40.0  # the highest line rate (decision 0035)


async def test_a_coupon_is_allocated_to_the_lines_exactly_across_states(shopper: Shopper) -> None:
    cart_id = await _mixed_cart(shopper)
    order = await place_and_quote(shopper, cart_id, shopper.address_id, coupon_code="FLAT50")
    assert amounts(order) == (1302.0, 50.0, 122.98, 50.0, 1424.98)
    assert [i["igst_amount"] for i in order["items"]] == [47.98, 0.0, 24.23, 30.77]
    assert (order["tax_breakup"]["cgst"], order["tax_breakup"]["igst"]) == (0.0, 122.98)


async def test_an_address_gst_cannot_place_is_refused_and_changes_nothing(
    shopper: Shopper, container: Container
) -> None:
    cart_id = await shopper.add(KIRANA, "prod_510", 2)
    nowhere = await address_in(shopper, "Narnia")
    body = {"cart_id": cart_id, "shipping_address_id": nowhere}
    for path in ("/api/auth/orders/", QUOTE):
        refused = await shopper.client.post(path, headers=shopper.headers, json=body)
        assert refused.status_code == 400, refused.text
        answer = refused.json()
        assert answer["status"] == "error" and answer["error_code"] == "VAL_001"
        assert "Narnia" in answer["errors"]["shipping_address_id"][0]
    assert await order_count(container) == 0 and await stock_of(container, KIRANA, "prod_510") == 48
    cart = await shopper.client.get(f"/api/auth/carts/store/{KIRANA}/", headers=shopper.headers)
    assert cart.status_code == 200 and cart.json()["data"]["id"] == cart_id


async def test_a_quote_without_an_address_assumes_the_stores_state(shopper: Shopper) -> None:
    cart_id = await shopper.add(KIRANA, "prod_511", 1)
    quoted = await shopper.client.post(QUOTE, headers=shopper.headers, json={"cart_id": cart_id})
    assert quoted.status_code == 200, quoted.text
    quote = quoted.json()["data"]
    assert quote["place_of_supply"] == {"state_code": "29", "state": "Karnataka"}
    assert quote["place_of_supply_assumed"] is True
    assert (quote["tax_breakup"]["cgst"], quote["tax_breakup"]["igst"]) == (12.6 + 4.5, 0.0)


async def test_a_store_without_a_state_code_cannot_sell_in_gst_mode(shopper: Shopper, container: Container) -> None:
    store = Store("store_nostate", "No State Stores")
    product = Product(store.id, "thing", "Thing", Decimal("10.00"))
    await container.load_catalog()(CatalogDocument(stores=(store,), products=(product,), coupons=()))
    cart_id = await shopper.add(store.id, "thing", 1)
    refused = await shopper.order(cart_id)
    assert refused.status_code == 409, refused.text
    assert "state_code" in refused.json()["message"]
    assert await order_count(container) == 0


@pytest.mark.parametrize("tax_mode", ["contract"])
async def test_the_contract_mode_adds_only_null_gst_fields(shopper: Shopper) -> None:
    cart_id = await shopper.add("store_123", "prod_001", 2)
    order = await place_and_quote(shopper, cart_id, shopper.address_id, coupon_code="save10")
    assert amounts(order) == (1000.0, 100.0, 180.0, 50.0, 1130.0)  # the contract's example
    assert (order["tax_mode"], order["place_of_supply"], order["tax_breakup"]) == ("contract", None, None)
    assert all(item[k] is None for item in order["items"] for k in GST_ITEM_FIELDS)
