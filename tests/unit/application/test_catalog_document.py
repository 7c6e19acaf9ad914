from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from s2cart.application.catalog.catalog_document import CatalogDocumentInvalid, parse_catalog_document
from s2cart.domain.catalog.coupon import CouponKind

ISSUE_EXAMPLE: dict[str, Any] = {
    "stores": [{"id": "store_123", "name": "SuperMart"}],
    "products": [
        {
            "store_id": "store_123",
            "id": "prod_001",
            "name": "Wireless Headphones",
            "price": "500.00",
            "stock": 100,
            "image_url": "https://cdn.example.com/p/prod_001.jpg",
        }
    ],
    "coupons": [
        {"code": "SAVE10", "kind": "PERCENT", "value": "10"},
        {"code": "FLAT50", "kind": "FLAT", "value": "50.00", "min_subtotal": "200.00"},
        {"code": "OLD5", "kind": "PERCENT", "value": "5", "valid_until": "2020-01-01T00:00:00Z"},
    ],
}


def _with(section: str, index: int, **changes: object) -> dict[str, Any]:
    document = copy.deepcopy(ISSUE_EXAMPLE)
    document[section][index].update(changes)
    return document


def _problems(document: object) -> dict[str, list[str]]:
    with pytest.raises(CatalogDocumentInvalid) as caught:
        parse_catalog_document(document)
    return caught.value.errors


def test_the_issue_example_parses_exactly() -> None:
    document = parse_catalog_document(ISSUE_EXAMPLE)
    [product] = document.products
    assert (product.price, product.stock, product.image_url) == (
        Decimal("500.00"),
        100,
        "https://cdn.example.com/p/prod_001.jpg",
    )
    save10, flat50, old5 = document.coupons
    assert (save10.kind, save10.value, save10.min_subtotal) == (CouponKind.PERCENT, Decimal("10.00"), None)
    assert (flat50.kind, flat50.min_subtotal) == (CouponKind.FLAT, Decimal("200.00"))
    assert old5.valid_until == datetime(2020, 1, 1, tzinfo=UTC)
    assert save10.active


def test_absent_or_null_stock_means_not_tracked() -> None:
    without = copy.deepcopy(ISSUE_EXAMPLE)
    del without["products"][0]["stock"]
    assert parse_catalog_document(without).products[0].stock is None
    assert parse_catalog_document(_with("products", 0, stock=None)).products[0].stock is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"price": 500.0}, "price: must be a string"),
        ({"price": "12.345"}, "price: must have at most 2 decimal places"),
        ({"price": "-5"}, "price: must not be negative"),
        ({"stock": -1}, "stock: must be a whole number"),
        ({"stock": "10"}, "stock: must be a whole number"),
        ({"pirce": "1.00"}, "pirce: unknown field"),
        ({"image_url": "not a url"}, "image_url: must be an http(s) URL"),
    ],
)
def test_a_bad_product_names_the_entry_and_the_field(changes: dict[str, object], expected: str) -> None:
    errors = _problems(_with("products", 0, **changes))
    assert list(errors) == ["products[0] (store_123/prod_001)"]
    assert any(problem.startswith(expected) for problem in errors["products[0] (store_123/prod_001)"])


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"kind": "BOGO"}, "kind: must be PERCENT or FLAT"),
        ({"value": "150"}, "value: a percentage must be at most 100"),
        ({"valid_until": "2020-01-01T00:00:00"}, "valid_until: must be an ISO 8601 time with a zone"),
        ({"usage_limit": 0}, "usage_limit: must be a whole number"),
        ({"active": "yes"}, "active: must be true or false"),
    ],
)
def test_a_bad_coupon_names_the_entry(changes: dict[str, object], expected: str) -> None:
    errors = _problems(_with("coupons", 2, **changes))
    [(entry, problems)] = errors.items()
    assert entry == "coupons[2] (OLD5)"
    assert problems[0].startswith(expected)


def test_missing_fields_and_duplicates_are_named() -> None:
    document = copy.deepcopy(ISSUE_EXAMPLE)
    document["stores"].append({"id": "store_123", "name": "Again"})
    document["products"].append({"store_id": "store_123", "id": "prod_002"})
    document["coupons"].append({"code": "save10", "kind": "FLAT", "value": "1.00"})
    errors = _problems(document)
    assert errors["stores[1] (store_123)"] == ["duplicate of stores[0]"]
    assert errors["products[1] (store_123/prod_002)"] == ["name: is required", "price: is required"]
    assert errors["coupons[3] (save10)"] == ["duplicate of coupons[0]"]


def test_the_message_names_the_first_bad_entry() -> None:
    with pytest.raises(CatalogDocumentInvalid) as caught:
        parse_catalog_document(_with("products", 0, price="abc"))
    assert caught.value.message.startswith("Catalog rejected: products[0] (store_123/prod_001): price:")
    assert caught.value.lines()[0].startswith("products[0] (store_123/prod_001): price:")


@pytest.mark.parametrize(
    ("document", "entry"),
    [
        ([], "document"),
        ({"stores": {}}, "stores"),
        ({"shops": []}, "document"),
        ({"stores": [7]}, "stores[0]"),
    ],
)
def test_a_document_of_the_wrong_shape_is_refused(document: object, entry: str) -> None:
    assert entry in _problems(document)


def test_sections_may_be_left_out() -> None:
    document = parse_catalog_document({"coupons": ISSUE_EXAMPLE["coupons"]})
    assert (len(document.stores), len(document.products), len(document.coupons)) == (0, 0, 3)


def test_the_storefront_fields_load() -> None:
    document = parse_catalog_document(
        {
            "stores": [
                {
                    "id": "s1",
                    "name": "Namma Mart",
                    "city": "Bengaluru",
                    "state_code": "29",
                    "gstin": "29AAGCB7383J1Z4",
                    "pincode": "560001",
                    "active": False,
                }
            ],
            "products": [
                {
                    "store_id": "s1",
                    "id": "p1",
                    "name": "Basmati Rice",
                    "price": "640.00",
                    "mrp": "699.00",
                    "images": ["https://cdn.example.com/rice.jpg"],
                    "gst_rate": "5",
                    "hsn_code": "1006",
                    "unit": "5 kg",
                    "category": "Staples",
                    "brand": "India Gate",
                }
            ],
        }
    )
    store, product = document.stores[0], document.products[0]
    assert (store.gstin, store.active, store.city) == ("29AAGCB7383J1Z4", False, "Bengaluru")
    assert (product.mrp, product.gst_rate, product.images) == (
        Decimal("699.00"),
        Decimal("5.00"),
        ("https://cdn.example.com/rice.jpg",),
    )
    assert product.active


def test_a_bad_gstin_refuses_the_file_naming_the_store() -> None:
    raw = {"stores": [{"id": "s1", "name": "A"}, {"id": "s2", "name": "B", "gstin": "29AAGCB7383J1Z5"}]}
    with pytest.raises(CatalogDocumentInvalid) as caught:
        parse_catalog_document(raw)
    assert list(caught.value.errors) == ["stores[1] (s2)"]
    assert "check character" in caught.value.errors["stores[1] (s2)"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [("mrp", "10.00"), ("gst_rate", "12"), ("images", "https://x/y.jpg"), ("images", ["http://x/y.jpg"])],
)
def test_bad_product_fields_are_named(field: str, value: object) -> None:
    raw = {
        "stores": [{"id": "s1", "name": "A"}],
        "products": [{"store_id": "s1", "id": "p1", "name": "Rice", "price": "50.00", field: value}],
    }
    with pytest.raises(CatalogDocumentInvalid) as caught:
        parse_catalog_document(raw)
    assert caught.value.errors["products[0] (s1/p1)"][0].startswith(f"{field}:")
