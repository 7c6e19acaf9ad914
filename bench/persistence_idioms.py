"""The two persistence idioms, measured on the cart hot path (decision 0031).

The same use case, AddItemToCart, through the same unit of work, with the cart book repository either as it
ships (SQLAlchemy Core, diffing against what it read: decision 0011) or written in imperative mapping (Cart and
CartItem mapped with ``registry.map_imperatively``, the ORM's flush writing the difference). Per add-item it
counts the SQL statements the engine executes (BEGIN/COMMIT and SQLite's BEGIN IMMEDIATE not counted) and the
wall and CPU time of the call, for two changes: a merge into an existing line (the bench's POST /cart/items/)
and a new line in an existing cart.

Mapping instruments the domain classes for the whole process, so each idiom runs in a process of its own, in
alternating rounds. The PostgreSQL database is created, migrated and dropped here; SQLite uses a temp file.

    .venv/bin/python bench/persistence_idioms.py [postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [N] [PATH]

PATH is ``carts`` (this file's add-item, the default), ``orders`` (checkout, a payment attempt started, settled
and the order cancelled: N rounds) or ``catalog`` (a load of N products, then the same N again with new prices);
the last two are in ``idiom_paths.py``.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import column_property, registry, relationship

sys.path.insert(0, str(Path(__file__).resolve().parent))
from idiom_paths import run_catalog, run_orders

from s2cart.adapters.persistence import migrator
from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.repositories.catalog import SqlAlchemyCatalog
from s2cart.adapters.persistence.repositories.owner_lock import lock_owner
from s2cart.adapters.persistence.tables.carts import MAX_SLOTS, cart_items, carts
from s2cart.adapters.persistence.tables.catalog import products, stores
from s2cart.adapters.persistence.tables.users import users
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.domain.carts.cart import Cart, CartItem
from s2cart.domain.carts.cart_book import CartBook
from s2cart.domain.carts.variant import Variant
from s2cart.domain.shared.errors import NotFound

USERS = 200
LINES = 3


def map_carts() -> None:
    """Cart and CartItem in imperative mapping: the variant rides on its key, the store's name is read with
    the cart, the slot and the owner are attributes the domain does not know."""
    mapper = registry()
    mapper.map_imperatively(CartItem, cart_items)
    mapper.map_imperatively(
        Cart,
        carts,
        properties={
            "items": relationship(CartItem, order_by=cart_items.c.id, cascade="all, delete-orphan", lazy="joined"),
            "store_name": column_property(
                select(stores.c.name).where(stores.c.id == carts.c.store_id).scalar_subquery(), expire_on_flush=False
            ),
        },
    )

    @event.listens_for(CartItem, "load")
    def _variant(item: Any, _context: Any) -> None:
        item.variant = Variant.from_key(item.variant_key)

    @event.listens_for(CartItem, "before_insert")
    @event.listens_for(CartItem, "before_update")
    def _variant_key(_mapper: Any, _connection: Any, item: Any) -> None:
        item.variant_key = item.variant.key


class MappedCartBookRepository:
    def __init__(self, session: Any) -> None:
        self._session = session
        self._loaded: dict[int, list[Cart]] = {}

    async def get(self, user_id: int) -> CartBook:
        if not await lock_owner(self._session, user_id):
            raise NotFound("User not found")
        result = await self._session.execute(select(Cart).where(carts.c.user_id == user_id).order_by(carts.c.id))
        found = list(result.unique().scalars())
        self._loaded[user_id] = list(found)
        return CartBook(user_id=user_id, carts=found)

    async def get_for_adding(self, user_id: int, store_id: str, product_id: str) -> tuple[CartBook, Any, Any]:
        # As add-item read before decision 0041: the catalog's statement, then the lock and the book.
        store, product = await SqlAlchemyCatalog(self._session).store_with_product(store_id, product_id)
        return await self.get(user_id), store, product

    async def save(self, book: CartBook) -> None:
        gone = [cart for cart in self._loaded[book.user_id] if cart not in book.carts]
        for cart in gone:
            await self._session.delete(cart)
        if gone:
            await self._session.flush()  # free the slots first
        used = {cart.slot for cart in book.carts if cart.id is not None}  # type: ignore[attr-defined]
        for cart in book.carts:
            if cart.id is None:
                cart.user_id = book.user_id  # type: ignore[attr-defined]
                cart.slot = min(set(range(1, MAX_SLOTS + 1)) - used)  # type: ignore[attr-defined]
                used.add(cart.slot)  # type: ignore[attr-defined]
                self._session.add(cart)
        await self._session.flush()


class MappedUnitOfWork(SqlAlchemyUnitOfWork):
    async def __aenter__(self) -> MappedUnitOfWork:
        await super().__aenter__()
        self.carts = MappedCartBookRepository(self.session)  # type: ignore[assignment]
        return self


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


async def seed(engine: Any) -> list[int]:
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        for table in (cart_items, carts, users, products, stores):
            await connection.execute(delete(table))
        await connection.execute(insert(stores).values(id="store_1", name="Store"))
        await connection.execute(
            insert(products),
            [{"store_id": "store_1", "id": f"p{i}", "name": f"P{i}", "price": Decimal("10.00")} for i in range(9)],
        )
        ids = []
        for n in range(USERS):
            name = f"u{n}_{uuid.uuid4().hex[:6]}"
            row = await connection.execute(
                insert(users)
                .values(
                    username=name,
                    username_key=name,
                    email=f"{name}@example.com",
                    email_key=f"{name}@example.com",
                    password_hash="x",
                    date_joined=now,
                    updated_at=now,
                )
                .returning(users.c.id)
            )
            ids.append(int(row.scalar_one()))
    return ids


async def run(idiom: str, url: str, n: int) -> dict[str, Any]:
    if idiom == "mapped":
        map_carts()
    engine = make_engine(url, pool_size=2, max_overflow=0)
    factory = make_session_factory(engine)
    uow = (lambda: MappedUnitOfWork(factory)) if idiom == "mapped" else (lambda: SqlAlchemyUnitOfWork(factory))
    add = AddItemToCart(uow, Clock())  # type: ignore[arg-type]
    user_ids = await seed(engine)
    for user_id in user_ids:  # every user: one cart with three lines
        for line in range(LINES):
            await add(user_id, AddItemToCartCommand("store_1", f"p{line}"))
    seen = [0]

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen[0] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    results: dict[str, Any] = {}
    for label, product_of in (("merge", lambda i: f"p{i % LINES}"), ("new_line", lambda i: f"p{LINES + i % 6}")):
        seen[0] = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            user_id = user_ids[i % len(user_ids)]
            product = product_of(i // len(user_ids)) if label == "new_line" else product_of(i)
            await add(user_id, AddItemToCartCommand("store_1", product))
        results[label] = {
            "statements": seen[0] / n,
            "wall_ms": (time.perf_counter() - wall) * 1000 / n,
            "cpu_ms": (time.process_time() - cpu) * 1000 / n,
        }
    async with engine.connect() as connection:  # both idioms must have written the same rows
        lines = (await connection.execute(select(func.count()).select_from(cart_items))).scalar_one()
        units = (await connection.execute(select(func.sum(cart_items.c.quantity)))).scalar_one()
    assert (lines, units) == (USERS * LINES + n, USERS * LINES + 2 * n), (lines, units)
    await engine.dispose()
    return results


PATHS = {"orders": run_orders, "catalog": run_catalog}


def measure(url: str, n: int, rounds: int, path: str = "carts") -> None:
    runs: dict[str, list[dict[str, Any]]] = {"core": [], "mapped": []}
    for _ in range(rounds):
        for idiom in runs:
            out = subprocess.run(  # noqa: S603 - this interpreter, this file
                [sys.executable, __file__, "--run", idiom, url, str(n), path],
                check=True,
                capture_output=True,
                text=True,
            )
            runs[idiom].append(json.loads(out.stdout.strip().splitlines()[-1]))
    backend = make_url(url).get_backend_name()
    for idiom, found in runs.items():
        for label in found[0]:
            rows = [r[label] for r in found]
            statements = statistics.median(r["statements"] for r in rows)
            wall = [round(r["wall_ms"], 2) for r in rows]
            cpu = [round(r["cpu_ms"], 2) for r in rows]
            print(f"{backend:<10} {idiom:<6} {label:<10} {statements:6.1f} statements  wall ms {wall}  cpu ms {cpu}")


def main() -> None:
    if sys.argv[1:2] == ["--run"]:
        idiom, url, n, path = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
        result = asyncio.run(run(idiom, url, n) if path == "carts" else PATHS[path](idiom, url, n, seed))
        print(json.dumps(result))
        return
    server = sys.argv[1] if len(sys.argv) > 1 else "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    path = sys.argv[3] if len(sys.argv) > 3 else "carts"
    rounds = 3
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite+aiosqlite:///{Path(tmp) / 'idioms.db'}"
        migrator.upgrade(sqlite_url)
        measure(sqlite_url, n, rounds, path)
    name = f"s2cart_idioms_{uuid.uuid4().hex[:8]}"
    admin = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        migrator.upgrade(url)
        measure(url, n, rounds, path)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
