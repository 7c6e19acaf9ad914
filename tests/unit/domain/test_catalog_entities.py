from __future__ import annotations

from decimal import Decimal

import pytest

from s2cart.domain.catalog.errors import OutOfStock
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import ValidationFailed


def _product(**overrides: object) -> Product:
    values: dict[str, object] = {
        "store_id": "store_123",
        "id": "prod_001",
        "name": "Wireless Headphones",
        "price": Decimal("500.00"),
        "stock": 3,
        "image_url": "https://cdn.example.com/p/prod_001.jpg",
    }
    values.update(overrides)
    return Product(**values)  # type: ignore[arg-type]


def test_a_product_keeps_its_price_in_paise() -> None:
    assert _product(price=Decimal("500")).price.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", Decimal("-1.00")),
        ("price", Decimal("1.005")),
        ("price", Decimal("NaN")),
        ("price", 500.0),
        ("stock", -1),
        ("stock", 10**10),
        ("stock", True),
        ("id", "has space"),
        ("id", ""),
        ("store_id", "x" * 65),
        ("name", "  "),
        ("image_url", "ftp://example.com/x.jpg"),
    ],
)
def test_a_product_refuses_values_that_break_it(field: str, value: object) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _product(**{field: value})
    assert field in caught.value.errors


def test_untracked_stock_sells_any_quantity() -> None:
    product = _product(stock=None)
    assert product.has_stock_for(10**6)
    product.ensure_stock_for(10**6)


def test_tracked_stock_is_cart_003_past_what_is_left() -> None:
    product = _product(stock=3)
    product.ensure_stock_for(3)
    with pytest.raises(OutOfStock) as caught:
        product.ensure_stock_for(4)
    assert caught.value.code == "CART_003"
    assert caught.value.available == 3
    assert "Only 3" in caught.value.errors["quantity"][0]


def test_no_stock_says_out_of_stock() -> None:
    with pytest.raises(OutOfStock, match="Item out of stock") as caught:
        _product(stock=0).ensure_stock_for(1)
    assert "out of stock" in caught.value.errors["quantity"][0]


def test_a_store_needs_an_id_and_a_name() -> None:
    assert Store("store_123", "SuperMart").name == "SuperMart"
    with pytest.raises(ValidationFailed) as caught:
        Store("store 123", "")
    assert set(caught.value.errors) == {"id", "name"}
