"""Stock moves come in the one lock order, (store_id, product_id), one per product (decision 0023)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.orders.order import OrderLine
from s2cart.domain.orders.stock import StockMove, stock_moves


def line(store_id: str, product_id: str, quantity: int, variant: dict[str, str] | None = None) -> OrderLine:
    return OrderLine(store_id, product_id, product_id, None, variant, quantity, Decimal("10.00"))


def test_moves_are_sorted_whatever_the_cart_order() -> None:
    cart = [line("s1", "prod_d", 1), line("s1", "prod_b", 2), line("s1", "prod_c", 3), line("s1", "prod_a", 4)]
    assert stock_moves(cart) == [
        StockMove("s1", "prod_a", 4),
        StockMove("s1", "prod_b", 2),
        StockMove("s1", "prod_c", 3),
        StockMove("s1", "prod_d", 1),
    ]


def test_variants_of_one_product_take_its_stock_in_one_move() -> None:
    cart = [line("s1", "shirt", 2, {"size": "M"}), line("s1", "cap", 1), line("s1", "shirt", 3, {"size": "L"})]
    assert stock_moves(cart) == [StockMove("s1", "cap", 1), StockMove("s1", "shirt", 5)]


def test_the_store_comes_first_in_the_order() -> None:
    assert [(m.store_id, m.product_id) for m in stock_moves([line("s2", "a", 1), line("s1", "z", 1)])] == [
        ("s1", "z"),
        ("s2", "a"),
    ]


@given(st.lists(st.tuples(st.sampled_from(["s1", "s2"]), st.sampled_from("abcde"), st.integers(1, 9)), max_size=12))
def test_any_two_orderings_of_a_cart_lock_alike_and_move_the_same_total(items: list[tuple[str, str, int]]) -> None:
    lines = [line(*item) for item in items]
    moves = stock_moves(lines)
    assert moves == stock_moves(list(reversed(lines)))
    keys = [(m.store_id, m.product_id) for m in moves]
    assert keys == sorted(set(keys))
    assert sum(m.quantity for m in moves) == sum(q for _, _, q in items)
