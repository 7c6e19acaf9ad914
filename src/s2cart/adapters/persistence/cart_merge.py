"""Add-item's common case on PostgreSQL: units merged into an existing line, on the driver pool, in one round trip
(decision 0048).

Most adds put more of a product into a line the user's cart for the store already holds. For that case this runs two
statements, sent together in psycopg's pipeline mode on a connection of the hot readers' pool (decision 0044, no
SQLAlchemy, no ping): the user's row locked ``FOR NO KEY UPDATE`` (``lock_owner``'s lock, decision 0010), then one
conditional UPDATE of the line, with the cart's touch in the same statement (a data-modifying CTE), guarded by every
condition under which ``CartBook.add_item`` would merge:

- the store's cart exists and holds the line of this product and variant;
- the store and the product are active (the product is the store's);
- the line's quantity plus the request's is within the cap (the request's own bound is checked before this runs);
- the product's units across the cart's lines plus the request's are within its stock (no stock: not tracked).

The line then takes the catalog's current name, image and price, its ``updated_at`` and the cart's are ``now``: what
the domain writes for a merge. No row back: nothing changed, and the caller takes the domain's path, which gives the
exact refusal or opens the line or the cart. The domain stays the authority; this guard is a strict subset of what it
accepts. The five-cart limit does not arise (the cart exists).

Why two statements and not one. The domain's path writes absolute quantities it computed from the book it read after
taking the user's lock (``CartBookRepository``): a merge that did not take the same lock could be overwritten by it
(units lost), and one that took it in its own statement would decide on a snapshot taken *before* the lock was
granted (PostgreSQL takes a statement's snapshot before it waits for a row lock), missing a line or units committed
by the holder it waited for (a stock check across variants outrun). So the lock is its own statement, and the UPDATE,
the next statement, sees what every earlier holder committed, exactly as the domain's book read does.

One round trip, one transaction. With no BEGIN, the server runs the statements of a pipeline up to its Sync as one
implicit transaction, committed at the Sync or, on the first error, rolled back with the statements after the error
skipped (PostgreSQL's protocol, "Pipelining"). psycopg sends the Sync when the ``pipeline()`` block ends, so the lock
is held from the first statement to the commit. The connection comes back idle either way.

Not run twice: a connection found dropped (``ConnectionLost``) is a 503 (``StorageUnavailable``) here, as a lost
connection under a unit of work is, since the commit may or may not have happened. A conflict (``TransactionConflict``)
is the conflict retry's to run again: nothing was committed, and this reports no transaction to it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Integer, bindparam, func, or_, select, update

from s2cart.adapters.persistence.driver_pool import DriverPool
from s2cart.adapters.persistence.errors import ConnectionLost
from s2cart.adapters.persistence.readers.base import Query
from s2cart.adapters.persistence.tables.carts import cart_items, carts
from s2cart.adapters.persistence.tables.catalog import products, stores
from s2cart.adapters.persistence.tables.users import users
from s2cart.application.carts.views import CartItemView
from s2cart.application.errors import StorageUnavailable
from s2cart.application.ports.carts import LineMerge

# The same lock as the domain's path takes (``lock_owner``, first in decision 0023's order).
_LOCK = select(users.c.id).where(users.c.id == bindparam("user_id")).with_for_update(key_share=True)

_ADD = bindparam("add", type_=Integer)
_siblings = cart_items.alias("siblings")
# The product's units across the cart's lines (every variant), before this add.
_UNITS = (
    select(func.sum(_siblings.c.quantity))
    .where(_siblings.c.cart_id == carts.c.id, _siblings.c.product_id == products.c.id)
    .scalar_subquery()
)
_LINE = (
    update(cart_items)
    .where(
        carts.c.user_id == bindparam("user_id"),
        carts.c.store_id == bindparam("store_id"),
        cart_items.c.cart_id == carts.c.id,
        cart_items.c.product_id == bindparam("product_id"),
        cart_items.c.variant_key == bindparam("variant_key"),
        stores.c.id == carts.c.store_id,
        stores.c.active,
        products.c.store_id == carts.c.store_id,
        products.c.id == cart_items.c.product_id,
        products.c.active,
        cart_items.c.quantity + _ADD <= bindparam("cap", type_=Integer),
        or_(products.c.stock.is_(None), products.c.stock >= _UNITS + _ADD),
    )
    .values(
        quantity=cart_items.c.quantity + _ADD,
        product_name=products.c.name,
        product_image_url=products.c.image_url,
        unit_price=products.c.price,
        updated_at=bindparam("now"),
    )
    .returning(
        cart_items.c.id,
        cart_items.c.product_name,
        cart_items.c.product_image_url,
        cart_items.c.quantity,
        cart_items.c.unit_price,
        cart_items.c.added_at,
        cart_items.c.cart_id,
    )
    .cte("line")
)
_TOUCH = update(carts).where(carts.c.id.in_(select(_LINE.c.cart_id))).values(updated_at=bindparam("now")).cte("touch")
_MERGE = select(
    _LINE.c.id,
    _LINE.c.product_name,
    _LINE.c.product_image_url,
    _LINE.c.quantity,
    _LINE.c.unit_price,
    _LINE.c.added_at,
).add_cte(_TOUCH)


class DriverCartLineMerge:
    """``CartLineMerge`` on PostgreSQL's driver pool (see the module)."""

    def __init__(self, pool: DriverPool, dialect: Any, committed: Callable[[], Awaitable[None]] | None = None) -> None:
        self._pool = pool
        self._lock = Query(_LOCK, "postgresql", dialect)
        self._merge = Query(_MERGE, "postgresql", dialect)
        self._committed = committed  # with read replicas: the user's read-your-writes mark (decision 0042)

    async def merge(self, request: LineMerge) -> CartItemView | None:
        assert self._lock.sql is not None and self._merge.sql is not None
        params = {
            "user_id": request.user_id,
            "store_id": request.store_id,
            "product_id": request.product_id,
            "variant_key": request.variant.key,
            "add": request.quantity,
            "cap": request.max_quantity,
            "now": request.now,
        }
        pool = self._pool
        connection = await pool.acquire()
        try:
            rows = await pool.execute_together(connection, ((self._lock.sql, params), (self._merge.sql, params)))
        except ConnectionLost as exc:
            raise StorageUnavailable() from exc
        finally:
            pool.release(connection)
        if not rows:
            return None
        if self._committed is not None:
            await self._committed()
        [(line_id, name, image_url, line_quantity, unit_price, added_at)] = self._merge.convert(rows)
        return CartItemView.line(
            id=line_id,
            product_id=request.product_id,
            product_name=name,
            product_image_url=image_url,
            product_variant=request.variant.as_dict() or None,
            quantity=line_quantity,
            unit_price=unit_price,
            added_at=added_at,
        )
