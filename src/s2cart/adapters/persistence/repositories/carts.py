"""CartBooks in SQL: the user's row is the lock, constraints are the backstop, save writes the difference.

Statements run on the unit of work's connection (``session.connection()``), not through the ORM session's
execute: the cart book is Core (decision 0031), and the session's ORM layer only cost time (decision 0041)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from s2cart.adapters.persistence.readers.carts import CARTS_AND_LINES, held_coupon
from s2cart.adapters.persistence.repositories.catalog import product_of
from s2cart.adapters.persistence.repositories.owner_lock import lock_owner
from s2cart.adapters.persistence.tables.carts import MAX_SLOTS, cart_items, carts
from s2cart.adapters.persistence.tables.catalog import products, stores
from s2cart.adapters.persistence.tables.users import users
from s2cart.domain.carts.cart import Cart, CartItem
from s2cart.domain.carts.cart_book import CartBook
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.shared.errors import NotFound

# The user's row locked (decision 0010, first in decision 0023's order), with the catalog's store and product in
# the same statement: only the user's row is locked (OF users), and the catalog's rows, which no lock guards,
# may be read from the snapshot taken before the lock was granted. No row: no such user; NULL store columns:
# no such store; NULL product columns: a product the store does not sell.
_LOCK_WITH_PRODUCT = (
    select(
        users.c.id.label("user_key"),
        stores.c.id.label("store_key"),
        stores.c.name.label("store_name"),
        stores.c.active.label("store_active"),
        products,
    )
    .select_from(
        users.outerjoin(stores, stores.c.id == bindparam("store_id")).outerjoin(
            products, (products.c.store_id == stores.c.id) & (products.c.id == bindparam("product_id"))
        )
    )
    .where(users.c.id == bindparam("user_id"))
    .with_for_update(key_share=True, of=users.c.id)
)
_BOOK = CARTS_AND_LINES.add_columns(carts.c.slot).where(carts.c.user_id == bindparam("user_id"))

ItemState = tuple[str, str, str, str | None, int, Decimal, datetime, datetime]


@dataclass
class _Loaded:
    """What the database held when the book was read: the baseline ``save`` compares against."""

    slots: dict[int, int] = field(default_factory=dict)
    cart_updated_at: dict[int, datetime] = field(default_factory=dict)
    cart_coupon: dict[int, str | None] = field(default_factory=dict)
    items: dict[int, ItemState] = field(default_factory=dict)


class SqlAlchemyCartBookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._loaded: dict[int, _Loaded] = {}

    async def get(self, user_id: int) -> CartBook:
        await self._lock(user_id)
        return await self._book(user_id)

    async def get_for_adding(
        self, user_id: int, store_id: str, product_id: str
    ) -> tuple[CartBook, Store | None, Product | None]:
        connection = await self._connection()
        params = {"user_id": user_id, "store_id": store_id, "product_id": product_id}
        row = (await connection.execute(_LOCK_WITH_PRODUCT, params)).first()
        if row is None:
            raise NotFound("User not found")
        store = None if row.store_key is None else Store(id=row.store_key, name=row.store_name, active=row.store_active)
        product = None if row.id is None else product_of(row)
        return await self._book(user_id), store, product

    async def _connection(self) -> AsyncConnection:
        return await self._session.connection()

    async def _book(self, user_id: int) -> CartBook:
        # Read after the lock is granted: under READ COMMITTED each statement sees what the previous
        # holder committed, so the book the rules run on is the current one. That is why the lock stays
        # a statement of its own: a statement's snapshot is taken before it waits for a lock.
        # Carts and lines in one statement, the cart page's, with each cart's slot.
        rows = await (await self._connection()).execute(_BOOK, {"user_id": user_id})
        loaded = _Loaded()
        by_id: dict[int, Cart] = {}
        for row in rows:
            cart = by_id.get(row.cart_id)
            if cart is None:
                cart = by_id[row.cart_id] = Cart(
                    store_id=row.store_id,
                    store_name=row.store_name,
                    created_at=row.cart_created_at,
                    updated_at=row.cart_updated_at,
                    id=row.cart_id,
                    coupon_code=row.cart_coupon_code,
                    coupon=held_coupon(row),
                )
                loaded.slots[row.cart_id] = row.slot
                loaded.cart_updated_at[row.cart_id] = row.cart_updated_at
                loaded.cart_coupon[row.cart_id] = row.cart_coupon_code
            if row.id is None:
                continue
            item = CartItem(
                product_id=row.product_id,
                variant=Variant.from_key(row.variant_key),
                product_name=row.product_name,
                product_image_url=row.product_image_url,
                unit_price=row.unit_price,
                quantity=row.quantity,
                added_at=row.added_at,
                updated_at=row.updated_at,
                id=row.id,
            )
            cart.items.append(item)
            loaded.items[row.id] = _state(item)
        self._loaded[user_id] = loaded
        return CartBook(user_id=user_id, carts=list(by_id.values()))

    async def save(self, book: CartBook) -> None:
        loaded = self._loaded.get(book.user_id)
        if loaded is None:
            raise RuntimeError("save() of a cart book this unit of work did not get()")
        kept_carts = {cart.id for cart in book.carts if cart.id is not None}
        kept_items = {item.id for cart in book.carts for item in cart.items if item.id is not None}
        gone_carts = [cart_id for cart_id in loaded.slots if cart_id not in kept_carts]
        gone_items = [item_id for item_id in loaded.items if item_id not in kept_items]
        # Deletes first: they free the slots and line keys that the inserts below may take.
        connection = await self._connection()
        if gone_items:
            await connection.execute(delete(cart_items).where(cart_items.c.id.in_(gone_items)))
        if gone_carts:
            await connection.execute(delete(carts).where(carts.c.id.in_(gone_carts)))
        for cart_id in gone_carts:
            del loaded.slots[cart_id], loaded.cart_updated_at[cart_id], loaded.cart_coupon[cart_id]
        for item_id in gone_items:
            del loaded.items[item_id]
        for cart in book.carts:
            if cart.id is None:
                await self._insert_cart(book.user_id, cart, loaded)
            else:
                await self._update_cart(cart.id, cart, loaded)
            for item in cart.items:
                if item.id is None:
                    await self._insert_item(cart, item, loaded)

    async def _insert_cart(self, user_id: int, cart: Cart, loaded: _Loaded) -> None:
        free = sorted(set(range(1, MAX_SLOTS + 1)) - set(loaded.slots.values()))
        # No free slot means the domain's limit and the table's disagree; the insert then fails on
        # the slot CHECK instead of writing a sixth cart.
        slot = free[0] if free else MAX_SLOTS + 1
        result = await (await self._connection()).execute(
            insert(carts)
            .values(
                user_id=user_id,
                store_id=cart.store_id,
                slot=slot,
                created_at=cart.created_at,
                updated_at=cart.updated_at,
                coupon_code=cart.coupon_code,
            )
            .returning(carts.c.id)
        )
        cart.id = result.scalar_one()
        loaded.slots[cart.id] = slot
        loaded.cart_updated_at[cart.id] = cart.updated_at
        loaded.cart_coupon[cart.id] = cart.coupon_code

    async def _update_cart(self, cart_id: int, cart: Cart, loaded: _Loaded) -> None:
        """Write the cart's changed lines and its ``updated_at``.

        On PostgreSQL the lines' UPDATEs ride in the cart's UPDATE as data-modifying CTEs, so the usual
        change (one line, and the cart's time) is one round trip. SQLite has no data-modifying CTEs: one
        statement each there. The order inside the transaction does not matter: the user's lock is held.
        """
        changed = {
            item.id: item for item in cart.items if item.id is not None and loaded.items[item.id] != _state(item)
        }
        line_updates = [
            update(cart_items).where(cart_items.c.id == item_id).values(**_columns(item))
            for item_id, item in changed.items()
        ]
        statements = line_updates
        if loaded.cart_updated_at[cart_id] != cart.updated_at or loaded.cart_coupon[cart_id] != cart.coupon_code:
            cart_update = (
                update(carts)
                .where(carts.c.id == cart_id)
                .values(updated_at=cart.updated_at, coupon_code=cart.coupon_code)
            )
            if self._is_postgresql():
                for n, line_update in enumerate(line_updates):
                    cart_update = cart_update.add_cte(line_update.cte(f"line_{n}"))
                statements = [cart_update]
            else:
                statements = [cart_update, *line_updates]
        connection = await self._connection()
        for statement in statements:
            await connection.execute(statement)
        loaded.cart_updated_at[cart_id] = cart.updated_at
        loaded.cart_coupon[cart_id] = cart.coupon_code
        for item_id, item in changed.items():
            loaded.items[item_id] = _state(item)

    async def _insert_item(self, cart: Cart, item: CartItem, loaded: _Loaded) -> None:
        result = await (await self._connection()).execute(
            insert(cart_items).values(cart_id=cart.id, **_columns(item)).returning(cart_items.c.id)
        )
        item.id = result.scalar_one()
        loaded.items[item.id] = _state(item)

    def _is_postgresql(self) -> bool:
        return self._session.get_bind().dialect.name == "postgresql"

    async def _lock(self, user_id: int) -> None:
        """Serialize every change to one user's carts on the user's row (``lock_owner``)."""
        if not await lock_owner(self._session, user_id):
            raise NotFound("User not found")


def _state(item: CartItem) -> ItemState:
    return (
        item.product_id,
        item.variant.key,
        item.product_name,
        item.product_image_url,
        item.quantity,
        item.unit_price,
        item.added_at,
        item.updated_at,
    )


def _columns(item: CartItem) -> dict[str, Any]:
    return {
        "product_id": item.product_id,
        "variant_key": item.variant.key,
        "product_name": item.product_name,
        "product_image_url": item.product_image_url,
        "quantity": item.quantity,
        "unit_price": item.unit_price,
        "added_at": item.added_at,
        "updated_at": item.updated_at,
    }
