"""The tables hold the cart rules even for a writer that skips the aggregate."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from s2cart.adapters.persistence.tables.carts import cart_items, carts
from s2cart.domain.catalog.store import Store
from tests.integration.carts.conftest import Db

NOW = datetime(2026, 1, 20, tzinfo=UTC)


async def _insert(db: Db, table: Any, **values: Any) -> int:
    async with db.engine.begin() as connection:
        result = await connection.execute(insert(table).values(**values).returning(table.c.id))
        return int(result.scalar_one())


def _cart(user_id: int, store_id: str, slot: int) -> dict[str, Any]:
    return {"user_id": user_id, "store_id": store_id, "slot": slot, "created_at": NOW, "updated_at": NOW}


def _line(cart_id: int, quantity: int = 1, variant_key: str = "") -> dict[str, Any]:
    return {
        "cart_id": cart_id,
        "product_id": "prod_001",
        "variant_key": variant_key,
        "product_name": "Wireless Headphones",
        "quantity": quantity,
        "unit_price": Decimal("500.00"),
        "added_at": NOW,
        "updated_at": NOW,
    }


async def test_a_user_has_five_slots_and_one_cart_per_store(db: Db) -> None:
    alice = await db.add_user("alice")
    await db.load([Store(f"s{n}", f"S{n}") for n in range(7)], [])
    for n in range(1, 6):
        await _insert(db, carts, **_cart(alice, f"s{n}", n))
    with pytest.raises(IntegrityError):
        await _insert(db, carts, **_cart(alice, "s6", 6))
    with pytest.raises(IntegrityError):
        await _insert(db, carts, **_cart(alice, "s0", 3))
    bob = await db.add_user("bob")
    await _insert(db, carts, **_cart(bob, "s1", 1))
    with pytest.raises(IntegrityError):
        await _insert(db, carts, **_cart(bob, "s1", 2))


async def test_a_cart_has_one_line_per_product_and_variant_with_a_positive_quantity(db: Db) -> None:
    alice = await db.add_user("alice")
    cart_id = await _insert(db, carts, **_cart(alice, "store_123", 1))
    await _insert(db, cart_items, **_line(cart_id))
    await _insert(db, cart_items, **_line(cart_id, variant_key='{"color":"Black"}'))
    with pytest.raises(IntegrityError):
        await _insert(db, cart_items, **_line(cart_id))
    with pytest.raises(IntegrityError):
        await _insert(db, cart_items, **_line(cart_id, quantity=0, variant_key='{"color":"Red"}'))
