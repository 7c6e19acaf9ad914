"""The ceilings S2Cart is measured against, served by the same ``serve()`` with the same settings.

- ``GET /ref/json``: a minimal Litestar JSON endpoint (the framework ceiling).
- ``GET /ref/carts?user=ID``: the same cart rows S2Cart's ``GET /carts/`` reads (one join), with the raw
  driver and no other work: no authentication, no rate limit, no domain objects (the read ceiling).
- ``POST /ref/cart-items?user=ID&item=ID``: one transaction with a single-row conditional update of a cart line
  plus one insert, with the raw driver (the write ceiling).

Each worker holds as many connections as S2Cart may (``S2CART_DATABASE_POOL_SIZE`` + ``_MAX_OVERFLOW``).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from litestar import Litestar, get, post
from sqlalchemy.engine import make_url

READ = """
SELECT c.id, c.store_id, s.name, c.created_at, c.updated_at, i.id, i.product_id, i.variant_key, i.product_name,
       i.product_image_url, i.quantity, i.unit_price, i.added_at, i.updated_at
FROM carts c JOIN stores s ON s.id = c.store_id LEFT JOIN cart_items i ON i.cart_id = c.id
WHERE c.user_id = %s ORDER BY c.id, i.id
"""
UPDATE = """
UPDATE cart_items SET quantity = quantity + 1, updated_at = now()
WHERE id = %s AND quantity < 10000 AND cart_id IN (SELECT id FROM carts WHERE user_id = %s)
"""
INSERT = "INSERT INTO bench_ref_writes (user_id, item_id, written_at) VALUES (%s, %s, now())"


class Pool:
    """A fixed set of connections handed out one a request (psycopg_pool is not a dependency)."""

    def __init__(self, conninfo: str, size: int) -> None:
        self._conninfo, self._size = conninfo, size
        self._idle: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()

    async def open(self) -> None:
        for _ in range(self._size):
            self._idle.put_nowait(await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True))

    async def close(self) -> None:
        while not self._idle.empty():
            await self._idle.get_nowait().close()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        conn = await self._idle.get()
        try:
            yield conn
        finally:
            self._idle.put_nowait(conn)


def create() -> Litestar:
    url = make_url(os.environ["S2CART_DATABASE_URL"]).set(drivername="postgresql")
    size = int(os.environ.get("S2CART_DATABASE_POOL_SIZE", "10")) + int(
        os.environ.get("S2CART_DATABASE_MAX_OVERFLOW", "0")
    )
    pool = Pool(url.render_as_string(hide_password=False), size)

    @get("/ref/json")
    async def ref_json() -> dict[str, str]:
        return {"status": "ok"}

    @get("/ref/carts")
    async def ref_carts(user: int) -> list[list[Any]]:
        async with pool.connection() as conn:
            rows = await (await conn.execute(READ, (user,))).fetchall()
        return [list(row) for row in rows]

    @post("/ref/cart-items", status_code=200)
    async def ref_cart_items(user: int, item: int) -> dict[str, int]:
        async with pool.connection() as conn, conn.transaction():
            updated = (await conn.execute(UPDATE, (item, user))).rowcount
            await conn.execute(INSERT, (user, item))
        return {"updated": updated}

    return Litestar(
        [ref_json, ref_carts, ref_cart_items], on_startup=[pool.open], on_shutdown=[pool.close], logging_config=None
    )
