"""The cart pages' reads: one statement for all of a user's carts and lines, whatever their number."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.repositories.catalog import coupon_of
from s2cart.adapters.persistence.tables.carts import cart_items, carts
from s2cart.adapters.persistence.tables.catalog import coupons, stores
from s2cart.adapters.system.clock import SystemClock
from s2cart.application.carts.views import CartItemView, CartView
from s2cart.application.ports.system import Clock
from s2cart.domain.carts.variant import Variant
from s2cart.domain.catalog.coupon import Coupon

# One statement, so a cart, its coupon and its lines come from one snapshot; a cart without lines is one row
# with NULL line columns, a cart without a coupon (or whose code the catalog lost) NULL coupon columns. Built
# once: only the WHERE differs between calls. The cart book repository reads the same rows.
CARTS_AND_LINES = (
    select(
        carts.c.id.label("cart_id"),
        carts.c.store_id,
        stores.c.name.label("store_name"),
        carts.c.created_at.label("cart_created_at"),
        carts.c.updated_at.label("cart_updated_at"),
        carts.c.coupon_code.label("cart_coupon_code"),
        *(column.label(f"coupon_{column.name}") for column in coupons.c),
        *(column for column in cart_items.c if column.name != "cart_id"),
    )
    .join(stores, stores.c.id == carts.c.store_id)
    .outerjoin(coupons, coupons.c.code == carts.c.coupon_code)
    .outerjoin(cart_items, cart_items.c.cart_id == carts.c.id)
    .order_by(carts.c.id, cart_items.c.id)
)


class SqlAlchemyCartReader(Reader):
    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        super().__init__(engine)
        self._clock = clock or SystemClock()

    async def carts_of(self, user_id: int) -> list[CartView]:
        return await self._read(user_id, None)

    async def cart_for_store(self, user_id: int, store_id: str) -> CartView | None:
        found = await self._read(user_id, store_id)
        return found[0] if found else None

    async def _read(self, user_id: int, store_id: str | None) -> list[CartView]:
        query = CARTS_AND_LINES.where(carts.c.user_id == user_id)
        if store_id is not None:
            query = query.where(carts.c.store_id == store_id)
        async with self.connect() as connection:
            rows = (await connection.execute(query)).all()
        return _views(rows, self._clock.now())


def held_coupon(row: Row[Any]) -> Coupon | None:
    """The coupon columns of a CARTS_AND_LINES row as the domain's Coupon (None: no coupon row joined)."""
    if row.coupon_code is None:
        return None
    return coupon_of(SimpleNamespace(**{c.name: getattr(row, f"coupon_{c.name}") for c in coupons.c}))


def _views(rows: Sequence[Row[Any]], now: datetime) -> list[CartView]:
    heads: dict[int, Row[Any]] = {}
    lines: dict[int, list[CartItemView]] = {}
    for row in rows:
        heads.setdefault(row.cart_id, row)
        bucket = lines.setdefault(row.cart_id, [])
        if row.id is not None:
            bucket.append(
                CartItemView.line(
                    id=row.id,
                    product_id=row.product_id,
                    product_name=row.product_name,
                    product_image_url=row.product_image_url,
                    product_variant=Variant.from_key(row.variant_key).as_dict() or None,
                    quantity=row.quantity,
                    unit_price=row.unit_price,
                    added_at=row.added_at,
                )
            )
    return [
        CartView.assemble(
            id=cart_id,
            store_id=head.store_id,
            store_name=head.store_name,
            updated_at=head.cart_updated_at,
            items=lines[cart_id],
        ).with_coupon(head.cart_coupon_code, held_coupon(head), now)
        for cart_id, head in heads.items()
    ]
