"""The storefront over HTTP (issue 18): stores and products for anyone, search, filters, inactive entries."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from s2cart.application.catalog.catalog_document import parse_catalog_document
from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.customers import signed_in
from tests.integration.http.test_orders import new_shopper
from tests.integration.mailbox import Mailbox

STORES = "/api/auth/stores/"
PRODUCTS = "/api/auth/products/"
PRODUCT_FIELDS = {
    "store_id", "store_name", "id", "name", "description", "category", "brand", "price", "mrp", "image_url",
    "images", "unit", "in_stock", "stock_status",
}  # fmt: skip


@pytest.fixture
async def demo(container: Container) -> Container:
    await load_demo_catalog(container)
    return container


async def _get(client: Client, path: str, status: int = 200, **params: Any) -> Any:
    response = await client.get(path, params=params)
    assert response.status_code == status, response.text
    return response.json()


async def _names(client: Client, **params: Any) -> list[str]:
    return [p["name"] for p in (await _get(client, PRODUCTS, **params))["data"]]


async def _deactivate(container: Container, kind: str, **match: str) -> None:
    raw = json.loads(resources.files("s2cart").joinpath("data", "demo_catalog.json").read_text(encoding="utf-8"))
    entries = [e for e in raw[kind] if all(e.get(k) == v for k, v in match.items())]
    for entry in entries:
        entry["active"] = False
    await container.load_catalog()(parse_catalog_document({kind: entries}))


async def test_stores_are_listed_by_name_for_anyone(client: Client, demo: Container) -> None:
    body = await _get(client, STORES, page_size=3)
    assert body["pagination"]["total_count"] == 8 and body["pagination"]["has_next"]
    names = [s["name"] for s in body["data"]]
    assert names == sorted(names)
    first = body["data"][0]
    assert set(first) >= {"id", "name", "description", "image_url", "city", "gstin", "state_code"}
    assert first["gstin"][:2] == first["state_code"]
    assert [s["name"] for s in (await _get(client, STORES, q="mart"))["data"]] == ["SuperMart", "TechMart"]
    backwards = [s["name"] for s in (await _get(client, STORES, ordering="-name", page_size=100))["data"]]
    assert backwards == sorted(backwards, reverse=True)
    store = (await _get(client, f"{STORES}store_246/"))["data"]
    assert (store["name"], store["city"], store["pincode"]) == ("Namma Kirana", "Mysuru", "570001")
    missing = await _get(client, f"{STORES}nowhere/", 404)
    assert missing["errors"]["store_id"]


async def test_products_show_a_stock_status_never_the_count(client: Client, demo: Container) -> None:
    body = await _get(client, PRODUCTS, page_size=100)
    assert body["pagination"]["total_count"] == 30  # the discontinued pack is hidden
    statuses = {(p["store_id"], p["id"]): p for p in body["data"]}
    assert all(set(p) == PRODUCT_FIELDS for p in body["data"])
    assert statuses["store_123", "prod_003"]["stock_status"] == "IN_STOCK"  # stock not tracked
    assert statuses["store_456", "prod_004"]["stock_status"] == "LOW_STOCK"  # 2 left
    assert statuses["store_789", "prod_105"]["stock_status"] == "LOW_STOCK"  # exactly 5
    assert statuses["store_456", "prod_005"]["stock_status"] == "OUT_OF_STOCK"
    assert statuses["store_456", "prod_005"]["in_stock"] is False
    headphones = statuses["store_123", "prod_001"]
    assert (headphones["price"], headphones["mrp"], headphones["store_name"]) == (500.0, 1299.0, "SuperMart")
    names = [p["name"] for p in body["data"]]
    assert names == sorted(names)


async def test_filters_and_orderings(client: Client, demo: Container) -> None:
    assert await _names(client, store_id="store_456", ordering="price") == [
        "Bluetooth Speaker",
        "Power Bank 10000mAh",
        "Smart Watch",
    ]
    prices = [p["price"] for p in (await _get(client, PRODUCTS, ordering="-price", page_size=100))["data"]]
    assert prices == sorted(prices, reverse=True) and prices[0] == 42990.0  # numeric, not text, order
    assert set(await _names(client, category="MOBILES")) == {
        "Redmi 13C 5G (4 GB, 128 GB)",
        "Samsung Galaxy M15 5G (6 GB, 128 GB)",
    }
    assert await _names(client, brand="jbl", store_id="store_123") == ["Bluetooth Speaker"]
    ranged = (await _get(client, PRODUCTS, min_price="1000", max_price="2000.50", page_size=100))["data"]
    assert ranged and all(1000 <= p["price"] <= 2000.5 for p in ranged)
    sold_out = (await _get(client, PRODUCTS, in_stock="false", page_size=100))["data"]
    assert {p["id"] for p in sold_out} == {"prod_005", "prod_506", "prod_606"}
    in_stock = (await _get(client, PRODUCTS, in_stock="true", page_size=100))["pagination"]["total_count"]
    assert in_stock == 27


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"min_price": "cheap"}, "min_price"),
        ({"max_price": "-5"}, "max_price"),
        ({"min_price": "500", "max_price": "100"}, "max_price"),
        ({"ordering": "stock"}, "ordering"),
        ({"ordering": "-relevance", "q": "rice"}, "ordering"),
        ({"in_stock": "maybe"}, "in_stock"),
        ({"q": "!!!"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"page_size": "0"}, "page_size"),
    ],
)
async def test_bad_parameters_are_named(client: Client, demo: Container, params: dict[str, str], named: str) -> None:
    body = await _get(client, PRODUCTS, 400, **params)
    assert body["error_code"] == "VAL_001"
    assert named in body["errors"], body


async def test_search_finds_words_and_prefixes_best_match_first(client: Client, demo: Container) -> None:
    rice = await _names(client, q="basmati rice")
    assert set(rice) == {"Basmati Rice 5 kg", "Daawat Rozana Basmati Rice"}
    assert set(await _names(client, q="basm")) == set(rice)  # a prefix
    assert await _names(client, q="india gate") == ["Basmati Rice 5 kg"]  # the brand
    # "rice" is in three names and one description: the names come first.
    ranked = await _names(client, q="rice")
    assert ranked[-1] == "Aashirvaad Shudh Chakki Atta" or "Sona Masoori Raw Rice" in ranked
    assert set(ranked[:3]) == {"Basmati Rice 5 kg", "Daawat Rozana Basmati Rice", "Sona Masoori Raw Rice"}
    assert await _names(client, q="turmeric", store_id="store_789") == ["Organic Turmeric Powder"]
    assert await _names(client, q="parle") == []  # inactive
    assert await _names(client, q="speaker", ordering="-price") == ["Bluetooth Speaker", "Bluetooth Speaker"]


async def test_a_typo_still_finds_the_product_on_postgresql(client: Client, demo: Container, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("typo tolerance is PostgreSQL's (pg_trgm); SQLite FTS5 matches words and prefixes")
    found = await _names(client, q="basmti")
    assert found and set(found) <= {"Basmati Rice 5 kg", "Daawat Rozana Basmati Rice"}
    assert (await _names(client, q="samsng galaxy"))[0].startswith("Samsung Galaxy")


async def test_one_product_has_its_gst_facts(client: Client, demo: Container) -> None:
    product = (await _get(client, f"{STORES}store_789/products/prod_101/"))["data"]
    assert (product["hsn_code"], product["gst_rate"], product["unit"]) == ("1006", 5.0, "5 kg")
    assert set(product) == PRODUCT_FIELDS | {"hsn_code", "gst_rate"}
    await _get(client, f"{STORES}store_246/products/prod_509/", 404)  # inactive
    await _get(client, f"{STORES}store_789/products/nothing/", 404)


async def test_a_signed_in_search_can_be_saved(client: Client, demo: Container, mailbox: Mailbox) -> None:
    headers = await signed_in(client, mailbox)
    response = await client.get(PRODUCTS, headers=headers, params={"q": "  basmati ", "save_search": "true"})
    assert response.status_code == 200
    await client.get(PRODUCTS, headers=headers, params={"q": "atta"})  # not saved
    history = (await client.get("/api/auth/search-history/", headers=headers)).json()["data"]
    assert [(h["query"], h["results_count"]) for h in history] == [("basmati", 2)]
    bad = await client.get(PRODUCTS, headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401
    anonymous = await client.get(PRODUCTS, params={"q": "basmati", "save_search": "true"})
    assert anonymous.status_code == 200


async def test_inactive_entries_take_no_new_lines_and_checkout_refuses_them(
    client: Client, demo: Container, mailbox: Mailbox
) -> None:
    shopper = await new_shopper(client, mailbox)
    tea = await shopper.add("store_246", "prod_508")
    await shopper.add("store_789", "prod_101")
    await _deactivate(demo, "products", store_id="store_246", id="prod_508")
    await _deactivate(demo, "stores", id="store_789")

    add = await client.post(
        "/api/auth/cart/items/", headers=shopper.headers, json={"store_id": "store_246", "product_id": "prod_508"}
    )
    assert add.status_code == 404
    closed = await client.post(
        "/api/auth/cart/items/", headers=shopper.headers, json={"store_id": "store_789", "product_id": "prod_102"}
    )
    assert (closed.status_code, closed.json()["error_code"]) == (404, "CART_002")
    cart = (await client.get("/api/auth/carts/store/store_246/", headers=shopper.headers)).json()["data"]
    assert [item["product_id"] for item in cart["items"]] == ["prod_508"]  # still visible
    refused = await shopper.order(tea)
    assert (refused.status_code, refused.json()["error_code"]) == (400, "CART_004")
    assert "no longer sold" in refused.json()["errors"]["items"][0]
    fruit = (await client.get("/api/auth/carts/store/store_789/", headers=shopper.headers)).json()["data"]
    store_closed = await shopper.order(fruit["id"])
    assert (store_closed.status_code, store_closed.json()["error_code"]) == (400, "CART_004")
    assert "FreshBasket" not in [s["name"] for s in (await _get(client, STORES, page_size=100))["data"]]
    await _get(client, f"{STORES}store_789/", 404)
    assert await _names(client, store_id="store_789") == []


async def test_anonymous_callers_count_on_the_anonymous_tier(client: Client, demo: Container, mailbox: Mailbox) -> None:
    anonymous = await client.get(STORES)
    assert anonymous.headers["X-RateLimit-Limit"] == "50"
    headers = await signed_in(client, mailbox)
    signed = await client.get(PRODUCTS, headers=headers)
    assert signed.headers["X-RateLimit-Limit"] == "200"


@pytest.mark.parametrize("params", [{"q": "rice"}, {"q": "a", "ordering": "-price"}, {"q": "a", "ordering": "name"}])
async def test_search_pages_carry_the_count_of_every_match(
    client: Client, demo: Container, params: dict[str, str]
) -> None:
    # On PostgreSQL the count comes with the page's rows (a window over the matches), and is counted apart only
    # for a page past the end; either way every page tells the same total, in the same order as one big page.
    whole = await _get(client, PRODUCTS, page_size=100, **params)
    total = whole["pagination"]["total_count"]
    assert total == len(whole["data"]) >= 3
    one_by_one = []
    for page in range(1, total + 1):
        body = await _get(client, PRODUCTS, page=page, page_size=1, **params)
        assert body["pagination"]["total_count"] == total, (page, body["pagination"])
        one_by_one += [(p["store_id"], p["id"]) for p in body["data"]]
    assert one_by_one == [(p["store_id"], p["id"]) for p in whole["data"]]
    past = await _get(client, PRODUCTS, page=total + 1, page_size=1, **params)
    assert past["data"] == [] and past["pagination"]["total_count"] == total
