"""The cart pages' reads: one statement for all of a user's carts and lines, whatever their number."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.carts import cart_items, carts
from s2cart.adapters.persistence.tables.catalog import stores
from s2cart.application.carts.views import CartItemView, CartView
from s2cart.domain.carts.variant import Variant

# One statement, so a cart and its lines come from one snapshot; a cart without lines is one row with NULL
# line columns. Built once: only the WHERE differs between calls. The cart book repository reads the same rows.
CARTS_AND_LINES = (
    select(
        carts.c.id.label("cart_id"),
        carts.c.store_id,
        stores.c.name.label("store_name"),
        carts.c.created_at.label("cart_created_at"),
        carts.c.updated_at.label("cart_updated_at"),
        *(column for column in cart_items.c if column.name != "cart_id"),
    )
    .join(stores, stores.c.id == carts.c.store_id)
    .outerjoin(cart_items, cart_items.c.cart_id == carts.c.id)
    .order_by(carts.c.id, cart_items.c.id)
)


class SqlAlchemyCartReader(Reader):
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
        return _views(rows)


def _views(rows: Sequence[Row[Any]]) -> list[CartView]:
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
                    updated_at=row.updated_at,
                )
            )
    return [
        CartView.assemble(
            id=cart_id,
            store_id=head.store_id,
            store_name=head.store_name,
            created_at=head.cart_created_at,
            updated_at=head.cart_updated_at,
            items=lines[cart_id],
        )
        for cart_id, head in heads.items()
    ]
