"""Any sequence of adds, updates, removes and clears keeps the cart book's invariants."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from s2cart.domain.carts.cart_book import MAX_CARTS, CartBook
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import DomainError

MAX_QUANTITY = 20
STORES = [Store(f"store_{n}", f"Store {n}") for n in range(7)]
PRICES = [Decimal("0.01"), Decimal("0.99"), Decimal("250.50"), Decimal("500.00"), Decimal("1234.57")]
STOCKS = [None, 0, 5, 30]
VARIANTS = [Variant(), Variant.of({"color": "Black"}), Variant.of({"color": "Black", "size": "M"})]

stores = st.sampled_from(STORES)
product_numbers = st.integers(min_value=0, max_value=3)
quantities = st.integers(min_value=-1, max_value=MAX_QUANTITY + 5)
variants = st.sampled_from(VARIANTS)


def product(store: Store, number: int) -> Product:
    return Product(
        store.id,
        f"prod_{number}",
        f"Product {number}",
        PRICES[(number + int(store.id[-1])) % len(PRICES)],
        stock=STOCKS[number],
    )


def snapshot(book: CartBook) -> object:
    return [
        (cart.store_id, [(i.id, i.product_id, i.variant.key, i.quantity, i.unit_price) for i in cart.items])
        for cart in book.carts
    ]


class CartBookMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.book = CartBook(user_id=1)
        self.now = datetime(2026, 1, 20, tzinfo=UTC)
        self.next_id = 1

    def _attempt(self, change: object) -> None:
        """Run a change; a refused one (a DomainError) must leave the book exactly as it was."""
        before = snapshot(self.book)
        self.now += timedelta(seconds=1)
        try:
            change()  # type: ignore[operator]
        except DomainError:
            assert snapshot(self.book) == before
        for cart in self.book.carts:  # what saving does: new lines get ids
            for item in cart.items:
                if item.id is None:
                    item.id, self.next_id = self.next_id, self.next_id + 1

    def _item_ids(self) -> list[int]:
        return [item.id for cart in self.book.carts for item in cart.items if item.id is not None]

    @rule(store=stores, number=product_numbers, quantity=quantities, variant=variants)
    def add(self, store: Store, number: int, quantity: int, variant: Variant) -> None:
        self._attempt(
            lambda: self.book.add_item(store, product(store, number), quantity, variant, self.now, MAX_QUANTITY)
        )

    @rule(pick=st.integers(min_value=0), quantity=st.none() | quantities, variant=st.none() | variants)
    def update(self, pick: int, quantity: int | None, variant: Variant | None) -> None:
        ids = self._item_ids() or [10**6]
        item_id = ids[pick % len(ids)]
        found = [(c, i) for c in self.book.carts for i in c.items if i.id == item_id]
        store = next((s for s in STORES if found and s.id == found[0][0].store_id), STORES[0])
        number = int(found[0][1].product_id.split("_")[1]) if found else 0
        self._attempt(
            lambda: self.book.update_item(
                item_id,
                product(store, number),
                self.now,
                quantity=quantity,
                variant=variant,
                max_quantity=MAX_QUANTITY,
            )
        )

    @rule(pick=st.integers(min_value=0))
    def remove(self, pick: int) -> None:
        ids = self._item_ids() or [10**6]
        self._attempt(lambda: self.book.remove_item(ids[pick % len(ids)], self.now))

    @rule(store=st.none() | stores)
    def clear(self, store: Store | None) -> None:
        self._attempt(lambda: self.book.clear(store.id if store else None))

    @invariant()
    def totals_are_the_sum_of_exact_line_totals(self) -> None:
        for cart in self.book.carts:
            assert cart.total_price == sum(i.quantity * i.unit_price for i in cart.items)
            assert cart.item_count == sum(i.quantity for i in cart.items)

    @invariant()
    def at_most_five_carts_one_per_store(self) -> None:
        assert len(self.book.carts) <= MAX_CARTS
        assert len({cart.store_id for cart in self.book.carts}) == len(self.book.carts)

    @invariant()
    def one_line_per_product_and_variant(self) -> None:
        for cart in self.book.carts:
            keys = Counter((i.product_id, i.variant.key) for i in cart.items)
            assert all(count == 1 for count in keys.values())

    @invariant()
    def quantities_are_in_range_and_in_stock(self) -> None:
        for cart in self.book.carts:
            store = next(s for s in STORES if s.id == cart.store_id)
            for item in cart.items:
                assert 1 <= item.quantity <= MAX_QUANTITY
                stock = product(store, int(item.product_id.split("_")[1])).stock
                assert stock is None or cart.units_of(item.product_id) <= stock

    @invariant()
    def prices_are_the_catalogs(self) -> None:
        for cart in self.book.carts:
            store = next(s for s in STORES if s.id == cart.store_id)
            for item in cart.items:
                assert item.unit_price == product(store, int(item.product_id.split("_")[1])).price


CartBookMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
TestCartBook = CartBookMachine.TestCase
