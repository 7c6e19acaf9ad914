"""A coupon held on a cart (its discount follows the lines) and the per-line problems a quote lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from s2cart.domain.carts.cart import Cart, held_coupon_discount
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.coupon import Coupon, CouponKind, CouponRejected, CouponRejection
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.orders.quote import LineProblem, line_problems

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
STORE = Store("store_123", "SuperMart")
HEADPHONES = Product("store_123", "prod_001", "Wireless Headphones", Decimal("500.00"), stock=10)
CABLE = Product("store_123", "prod_003", "USB-C Cable", Decimal("250.50"))
WELCOME = Coupon("WELCOME20", CouponKind.PERCENT, Decimal("20"), min_subtotal=Decimal("500.00"))


def _cart(*lines: tuple[Product, int]) -> Cart:
    cart = Cart.new(STORE, NOW)
    for product, quantity in lines:
        cart.add(product, quantity, Variant.of(None), NOW, max_quantity=99)
    return cart


def test_the_discount_follows_the_lines() -> None:
    cart = _cart((HEADPHONES, 1))
    assert cart.apply_coupon(WELCOME, NOW, times_used=0, times_used_by_user=0) == Decimal("100.00")
    assert (cart.coupon_code, cart.coupon_discount(NOW)) == ("WELCOME20", Decimal("100.00"))
    cart.add(CABLE, 1, Variant.of(None), NOW, max_quantity=99)
    assert cart.coupon_discount(NOW) == Decimal("150.10")
    cart.remove(cart.items[0], NOW)
    assert (cart.coupon_code, cart.coupon_discount(NOW)) == ("WELCOME20", Decimal("0"))  # below the minimum


def test_a_held_coupon_that_expired_gives_nothing() -> None:
    ending = Coupon("SOON", CouponKind.FLAT, Decimal("50.00"), valid_until=NOW + timedelta(hours=1))
    assert held_coupon_discount(ending, Decimal("300.00"), NOW) == Decimal("50.00")
    assert held_coupon_discount(ending, Decimal("300.00"), NOW + timedelta(hours=1)) == Decimal("0")
    assert held_coupon_discount(None, Decimal("300.00"), NOW) == Decimal("0")


@pytest.mark.parametrize(
    ("coupon", "used", "mine", "reason"),
    [
        (WELCOME, 0, 0, CouponRejection.BELOW_MIN_SUBTOTAL),
        (Coupon("OLD", CouponKind.PERCENT, Decimal("5"), valid_until=NOW), 0, 0, CouponRejection.EXPIRED),
        (Coupon("ONCE", CouponKind.FLAT, Decimal("10.00"), per_user_limit=1), 0, 1, CouponRejection.USER_LIMIT_REACHED),
    ],
)
def test_a_coupon_that_does_not_apply_changes_nothing(coupon: Coupon, used: int, mine: int, reason: str) -> None:
    cart = _cart((CABLE, 1))
    cart.apply_coupon(Coupon("SAVE10", CouponKind.PERCENT, Decimal("10")), NOW, times_used=0, times_used_by_user=0)
    before = (cart.coupon_code, cart.coupon, cart.updated_at)
    with pytest.raises(CouponRejected) as refused:
        cart.apply_coupon(coupon, NOW + timedelta(minutes=1), times_used=used, times_used_by_user=mine)
    assert refused.value.reason == reason
    assert (cart.coupon_code, cart.coupon, cart.updated_at) == before


def test_removing_the_coupon() -> None:
    cart = _cart((HEADPHONES, 2))
    cart.apply_coupon(WELCOME, NOW, times_used=0, times_used_by_user=0)
    cart.remove_coupon(NOW + timedelta(minutes=1))
    assert (cart.coupon_code, cart.coupon, cart.coupon_discount(NOW)) == (None, None, Decimal("0"))
    assert cart.updated_at == NOW + timedelta(minutes=1)


def test_line_problems_name_every_line_checkout_would_refuse() -> None:
    cart = _cart((HEADPHONES, 4), (CABLE, 1))
    cart.add(HEADPHONES, 3, Variant.of({"color": "red"}), NOW, max_quantity=99)
    scarce = Product("store_123", "prod_001", "Wireless Headphones", Decimal("500.00"), stock=6)
    problems = line_problems("store_123", cart.items, {"prod_001": scarce, "prod_003": None})
    assert problems == [
        LineProblem("prod_001", "CART_003", "Only 6 of 'Wireless Headphones' in stock.", 6),
        LineProblem("prod_003", "GEN_404", "Product 'prod_003' was not found in store 'store_123'.", 0),
        LineProblem("prod_001", "CART_003", "Only 6 of 'Wireless Headphones' in stock.", 6),
    ]
    assert line_problems("store_123", cart.items, {"prod_001": HEADPHONES, "prod_003": CABLE}) == []
