"""The cart pages' reads: one statement for all of a user's carts and lines, whatever their number."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.readers.base import Row as Values
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


# The columns of CARTS_AND_LINES by position: the views are built from plain tuples (decision 0041).
_NAMES = tuple(column.name for column in CARTS_AND_LINES.selected_columns)
_AT = {name: n for n, name in enumerate(_NAMES)}
_CART_ID, _STORE_ID, _STORE_NAME = _AT["cart_id"], _AT["store_id"], _AT["store_name"]
_CART_UPDATED_AT, _CART_COUPON = _AT["cart_updated_at"], _AT["cart_coupon_code"]
_COUPON = tuple((column.name, _AT[f"coupon_{column.name}"]) for column in coupons.c)
_LINE_ID, _PRODUCT_ID, _PRODUCT_NAME = _AT["id"], _AT["product_id"], _AT["product_name"]
_IMAGE, _VARIANT, _QUANTITY = _AT["product_image_url"], _AT["variant_key"], _AT["quantity"]
_UNIT_PRICE, _ADDED_AT = _AT["unit_price"], _AT["added_at"]

_OF_USER = CARTS_AND_LINES.where(carts.c.user_id == bindparam("user_id"))
_OF_STORE = _OF_USER.where(carts.c.store_id == bindparam("store_id"))


class SqlAlchemyCartReader(Reader):
    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        super().__init__(engine)
        self._clock = clock or SystemClock()
        self._of_user = self.query(_OF_USER)
        self._of_store = self.query(_OF_STORE)

    async def carts_of(self, user_id: int) -> list[CartView]:
        return _views(await self.rows(self._of_user, {"user_id": user_id}), self._clock.now())

    async def cart_for_store(self, user_id: int, store_id: str) -> CartView | None:
        rows = await self.rows(self._of_store, {"user_id": user_id, "store_id": store_id})
        found = _views(rows, self._clock.now())
        return found[0] if found else None


def held_coupon(row: Row[Any]) -> Coupon | None:
    """The coupon columns of a CARTS_AND_LINES row as the domain's Coupon (None: no coupon row joined)."""
    if row.coupon_code is None:
        return None
    return coupon_of(SimpleNamespace(**{c.name: getattr(row, f"coupon_{c.name}") for c in coupons.c}))


def _coupon_of(row: Values) -> Coupon | None:
    if row[_AT["coupon_code"]] is None:
        return None
    return coupon_of(SimpleNamespace(**{name: row[n] for name, n in _COUPON}))


def _views(rows: Sequence[Values], now: datetime) -> list[CartView]:
    heads: dict[int, Values] = {}
    lines: dict[int, list[CartItemView]] = {}
    for row in rows:
        cart_id = row[_CART_ID]
        if cart_id not in heads:
            heads[cart_id] = row
            lines[cart_id] = []
        if row[_LINE_ID] is not None:
            lines[cart_id].append(
                CartItemView.line(
                    id=row[_LINE_ID],
                    product_id=row[_PRODUCT_ID],
                    product_name=row[_PRODUCT_NAME],
                    product_image_url=row[_IMAGE],
                    product_variant=Variant.from_key(row[_VARIANT]).as_dict() or None,
                    quantity=row[_QUANTITY],
                    unit_price=row[_UNIT_PRICE],
                    added_at=row[_ADDED_AT],
                )
            )
    return [
        CartView.assemble(
            id=cart_id,
            store_id=head[_STORE_ID],
            store_name=head[_STORE_NAME],
            updated_at=head[_CART_UPDATED_AT],
            items=lines[cart_id],
        ).with_coupon(head[_CART_COUPON], _coupon_of(head), now)
        for cart_id, head in heads.items()
    ]
