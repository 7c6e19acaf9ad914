from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from s2cart.domain.carts.cart_book import MAX_CARTS, CartBook
from s2cart.domain.carts.errors import CartItemNotFound, CartLimitExceeded
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.errors import OutOfStock
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import ValidationFailed

NOW = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
SUPERMART = Store("store_123", "SuperMart")
HEADPHONES = Product("store_123", "prod_001", "Wireless Headphones", Decimal("500.00"), stock=100)
CABLE = Product("store_123", "prod_003", "USB-C Cable", Decimal("250.50"))
BLACK = Variant.of({"color": "Black", "size": "Medium"})


def _store(n: int) -> Store:
    return Store(f"store_{n}", f"Store {n}")


def _number_lines(book: CartBook) -> None:
    """What persistence does on save: new lines get ids."""
    taken = [item.id for cart in book.carts for item in cart.items if item.id is not None]
    next_id = max(taken, default=0) + 1
    for cart in book.carts:
        for item in cart.items:
            if item.id is None:
                item.id, next_id = next_id, next_id + 1


def test_adding_opens_the_store_cart_and_takes_catalog_details() -> None:
    book = CartBook(user_id=1)
    line = book.add_item(SUPERMART, HEADPHONES, 2, Variant(), NOW)
    book.add_item(SUPERMART, CABLE, 1, Variant(), NOW)

    cart = book.cart_for("store_123")
    assert cart is not None
    assert (cart.store_name, cart.item_count, cart.total_price) == ("SuperMart", 3, Decimal("1250.50"))
    assert (line.product_name, line.unit_price, line.total_price) == (
        "Wireless Headphones",
        Decimal("500.00"),
        Decimal("1000.00"),
    )
    assert line.product_image_url is None


def test_the_same_product_and_variant_merges_into_one_line() -> None:
    book = CartBook(user_id=1)
    first = book.add_item(SUPERMART, HEADPHONES, 1, BLACK, NOW)
    again = book.add_item(SUPERMART, HEADPHONES, 2, Variant.of({"size": "Medium", "color": "Black"}), NOW)
    other = book.add_item(SUPERMART, HEADPHONES, 1, Variant.of({"color": "White"}), NOW)

    assert again is first
    assert first.quantity == 3
    assert other is not first
    assert len(book.carts[0].items) == 2


def test_a_merge_takes_the_current_catalog_price() -> None:
    book = CartBook(user_id=1)
    line = book.add_item(SUPERMART, HEADPHONES, 1, Variant(), NOW)
    repriced = Product("store_123", "prod_001", "Wireless Headphones", Decimal("450.00"), stock=100)
    book.add_item(SUPERMART, repriced, 1, Variant(), NOW + timedelta(minutes=5))
    assert (line.unit_price, line.total_price, line.added_at) == (Decimal("450.00"), Decimal("900.00"), NOW)
    assert line.updated_at == NOW + timedelta(minutes=5)


def test_a_sixth_store_is_cart_001_and_changes_nothing() -> None:
    book = CartBook(user_id=1)
    for n in range(MAX_CARTS):
        book.open_cart(_store(n), NOW)
    with pytest.raises(CartLimitExceeded) as caught:
        book.open_cart(_store(99), NOW)
    assert caught.value.code == "CART_001"
    product = Product("store_99", "p", "P", Decimal("1.00"))
    with pytest.raises(CartLimitExceeded):
        book.add_item(_store(99), product, 1, Variant(), NOW)
    assert len(book.carts) == MAX_CARTS


def test_opening_an_existing_store_cart_returns_it() -> None:
    book = CartBook(user_id=1)
    cart, created = book.open_cart(SUPERMART, NOW)
    again, created_again = book.open_cart(SUPERMART, NOW)
    assert (created, created_again, again is cart, len(book.carts)) == (True, False, True, 1)


@pytest.mark.parametrize("quantity", [0, -1, 100, True, 2.0])
def test_quantity_must_be_a_whole_number_from_1_to_the_maximum(quantity: object) -> None:
    book = CartBook(user_id=1)
    with pytest.raises(ValidationFailed) as caught:
        book.add_item(SUPERMART, HEADPHONES, quantity, Variant(), NOW)  # type: ignore[arg-type]
    assert "quantity" in caught.value.errors
    assert book.carts == []  # a refused add opens no cart


def test_a_merge_past_the_maximum_is_refused_not_clamped() -> None:
    book = CartBook(user_id=1)
    line = book.add_item(SUPERMART, CABLE, 8, Variant(), NOW, max_quantity=10)
    with pytest.raises(ValidationFailed, match="Validation failed"):
        book.add_item(SUPERMART, CABLE, 3, Variant(), NOW, max_quantity=10)
    assert line.quantity == 8


def test_stock_counts_every_variant_of_the_product_in_the_cart() -> None:
    scarce = Product("store_123", "prod_009", "Last Few", Decimal("10.00"), stock=3)
    book = CartBook(user_id=1)
    book.add_item(SUPERMART, scarce, 2, Variant.of({"color": "Red"}), NOW)
    with pytest.raises(OutOfStock):
        book.add_item(SUPERMART, scarce, 2, Variant.of({"color": "Blue"}), NOW)
    book.add_item(SUPERMART, scarce, 1, Variant.of({"color": "Blue"}), NOW)
    assert book.carts[0].item_count == 3


def test_updating_checks_stock_and_reprices() -> None:
    scarce = Product("store_123", "prod_009", "Last Few", Decimal("10.00"), stock=3)
    book = CartBook(user_id=1)
    book.add_item(SUPERMART, scarce, 1, Variant(), NOW)
    _number_lines(book)
    with pytest.raises(OutOfStock):
        book.update_item(1, scarce, NOW, quantity=4)
    cheaper = Product("store_123", "prod_009", "Last Few", Decimal("8.00"), stock=3)
    line = book.update_item(1, cheaper, NOW, quantity=3)
    assert (line.quantity, line.total_price) == (3, Decimal("24.00"))


def test_moving_a_line_onto_an_existing_variant_absorbs_that_line() -> None:
    book = CartBook(user_id=1)
    book.add_item(SUPERMART, HEADPHONES, 2, BLACK, NOW)
    book.add_item(SUPERMART, HEADPHONES, 1, Variant(), NOW)
    _number_lines(book)
    line = book.update_item(2, HEADPHONES, NOW, variant=BLACK, quantity=4)
    assert (line.id, line.quantity, line.variant) == (2, 6, BLACK)
    assert [item.id for item in book.carts[0].items] == [2]


def test_items_are_found_only_in_this_book() -> None:
    mine, theirs = CartBook(user_id=1), CartBook(user_id=2)
    theirs.add_item(SUPERMART, HEADPHONES, 1, Variant(), NOW)
    _number_lines(theirs)
    with pytest.raises(CartItemNotFound):
        mine.update_item(1, HEADPHONES, NOW, quantity=2)
    with pytest.raises(CartItemNotFound):
        mine.remove_item(1, NOW)


def test_removing_the_last_line_keeps_the_cart() -> None:
    book = CartBook(user_id=1)
    book.add_item(SUPERMART, HEADPHONES, 1, Variant(), NOW)
    _number_lines(book)
    book.remove_item(1, NOW)
    assert len(book.carts) == 1
    assert (book.carts[0].item_count, book.carts[0].total_price) == (0, Decimal("0.00"))


def test_clearing_drops_carts_and_frees_their_slots() -> None:
    book = CartBook(user_id=1)
    for n in range(MAX_CARTS):
        book.open_cart(_store(n), NOW)
    gone = book.clear("store_2")
    assert [cart.store_id for cart in gone] == ["store_2"]
    book.open_cart(_store(42), NOW)
    assert len(book.clear()) == MAX_CARTS
    assert book.carts == []


def test_variants_are_canonical_and_bounded() -> None:
    assert Variant.of({"size": "M", "color": "Black"}).key == '{"color":"Black","size":"M"}'
    assert Variant.of(None).key == Variant.of({}).key == ""
    for bad in ({"color": 1}, {"": "x"}, {f"k{i}": "v" for i in range(11)}, ["color"]):
        with pytest.raises(ValidationFailed) as caught:
            Variant.of(bad)  # type: ignore[arg-type]
        assert "product_variant" in caught.value.errors
