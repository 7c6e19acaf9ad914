"""Seed the bench database directly: a 1,000-product catalog, thousands of verified users with three carts
of five lines each, a signed-in JWT session per user, and spare sessions whose refresh tokens the refresh
scenario spends (each token once: rotation spends it). Orders are seeded once their table exists."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, inspect, select, text

from s2cart.adapters.persistence.tables.carts import cart_items, carts
from s2cart.adapters.persistence.tables.catalog import products, stores
from s2cart.adapters.persistence.tables.users import users
from s2cart.domain.sessions.session import AuthScheme, Device, DeviceType
from s2cart.entrypoints.container import Container

PASSWORD = "Bench-Mango-Kite-42!"
STORES, PRODUCTS_PER_STORE = 10, 100
CARTS_PER_USER, LINES_PER_CART = 3, 5


@dataclass
class Seeded:
    users: int = 0
    user_ids: list[int] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    access: list[str] = field(default_factory=list)  # access[i] belongs to user_ids[i]
    lines: list[tuple[int, int, str, str]] = field(default_factory=list)  # (user index, item id, store, product)
    refresh: list[str] = field(default_factory=list)
    orders_user_access: str | None = None
    notes: list[str] = field(default_factory=list)


async def seed(container: Container, user_count: int, refresh_sessions: int, rng: random.Random) -> Seeded:
    now = datetime.now(UTC).replace(microsecond=0)
    password_hash = await container.hasher().hash(PASSWORD)  # one hash, every user: seeding stays fast
    engine = container.engine()
    store_ids = [f"store_{n:03d}" for n in range(1, STORES + 1)]
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "CREATE TABLE bench_ref_writes (id bigserial PRIMARY KEY, user_id int, item_id int, "
                "written_at timestamptz NOT NULL)"
            )
        )
        await conn.execute(insert(stores), [{"id": s, "name": f"Bench Mart {s[-3:]}"} for s in store_ids])
        await conn.execute(
            insert(products),
            [
                {
                    "store_id": s,
                    "id": f"prod_{p:04d}",
                    "name": f"Product {p} of {s}",
                    "price": Decimal(rng.randrange(1_000, 500_000)) / 100,
                    "stock": 1_000_000,
                    "image_url": f"https://cdn.s2cart.example/{s}/prod_{p:04d}.jpg",
                }
                for s in store_ids
                for p in range(1, PRODUCTS_PER_STORE + 1)
            ],
        )
        await conn.execute(
            insert(users),
            [
                {
                    "username": f"bench{n}",
                    "username_key": f"bench{n}",
                    "email": f"bench{n}@example.com",
                    "email_key": f"bench{n}@example.com",
                    "password_hash": password_hash,
                    "first_name": "Bench",
                    "last_name": f"User {n}",
                    "is_verified": True,
                    "date_joined": now,
                    "updated_at": now,
                }
                for n in range(1, user_count + 1)
            ],
        )
        ids = [row.id for row in await conn.execute(select(users.c.id).order_by(users.c.id))]
        cart_rows = [
            {"user_id": uid, "store_id": store, "slot": slot, "created_at": now, "updated_at": now}
            for uid in ids
            for slot, store in enumerate(rng.sample(store_ids, CARTS_PER_USER), start=1)
        ]
        await conn.execute(insert(carts), cart_rows)
        cart_ids = await conn.execute(select(carts.c.id, carts.c.user_id, carts.c.store_id).order_by(carts.c.id))
        line_rows = []
        for cart_id, _uid, store in cart_ids:
            for p in rng.sample(range(1, PRODUCTS_PER_STORE + 1), LINES_PER_CART):
                line_rows.append(
                    {
                        "cart_id": cart_id,
                        "product_id": f"prod_{p:04d}",
                        "variant_key": "",
                        "product_name": f"Product {p} of {store}",
                        "product_image_url": f"https://cdn.s2cart.example/{store}/prod_{p:04d}.jpg",
                        "quantity": rng.randint(1, 3),
                        "unit_price": Decimal("99.00"),
                        "added_at": now,
                        "updated_at": now,
                    }
                )
        await conn.execute(insert(cart_items), line_rows)
        owned = await conn.execute(
            select(cart_items.c.id, carts.c.user_id, carts.c.store_id, cart_items.c.product_id).join(
                carts, carts.c.id == cart_items.c.cart_id
            )
        )
        index = {uid: i for i, uid in enumerate(ids)}
        lines = [(index[uid], item_id, store, product) for item_id, uid, store, product in owned]
    seeded = Seeded(users=len(ids), user_ids=ids, emails=[f"bench{n}@example.com" for n in range(1, len(ids) + 1)])
    seeded.lines = lines
    seeded.access, _ = await _sessions(container, ids, now)
    _, seeded.refresh = await _sessions(container, [rng.choice(ids) for _ in range(refresh_sessions)], now)
    await seed_orders(container, seeded)
    return seeded


async def _sessions(container: Container, user_ids: list[int], now: datetime) -> tuple[list[str], list[str]]:
    """A JWT session per user id, started by the application's own SessionStarter."""
    starter = container.session_starter()
    access, refresh = [], []
    device = Device(DeviceType.WEB, None, "s2cart-bench", "127.0.0.1", None)
    async with container.uow() as uow:
        for uid in user_ids:
            started = await starter.start(uow, uid, AuthScheme.JWT, device, now - timedelta(seconds=1))
            assert started.access is not None and started.refresh is not None
            access.append(started.access.token)
            refresh.append(started.refresh.token)
        await uow.commit()
    return access, refresh


async def seed_orders(container: Container, seeded: Seeded, count: int = 10_000) -> None:
    """10,000 orders (two lines each) for the first user, for ``GET /orders/?page=1`` and ``?page=500``."""
    async with container.engine().connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    if "orders" not in tables:
        seeded.notes.append("orders: no 'orders' table yet; the orders scenarios are skipped")
        return
    from s2cart.adapters.persistence.tables.orders import order_items, orders

    user_id = seeded.user_ids[0]
    now = datetime.now(UTC).replace(microsecond=0)
    address = {
        "contact_name": "Bench User",
        "street_address": "1 MG Road",
        "city": "Bengaluru",
        "state": "Karnataka",
        "pin_code": "560001",
        "country": "India",
        "phone_number": "+919876543210",
    }
    rows, per_day = [], {}
    for n in range(count):
        placed = now - timedelta(hours=count - n)  # one an hour, the newest last
        day = placed.strftime("%Y%m%d")
        per_day[day] = per_day.get(day, 0) + 1
        rows.append(
            {
                "user_id": user_id,
                "order_number": f"ORD-{day}-{per_day[day]:04d}",
                "status": "DELIVERED",
                "order_date": placed,
                "source_cart_id": 1_000_000 + n,
                "store_id": "store_001",
                "subtotal": Decimal("198.00"),
                "tax_amount": Decimal("35.64"),
                "shipping_cost": Decimal("50.00"),
                "discount_amount": Decimal("0.00"),
                "total_amount": Decimal("283.64"),
                "shipping_address": address,
                "estimated_delivery_date": placed + timedelta(days=5),
                "updated_at": placed,
            }
        )
    async with container.engine().begin() as conn:
        await conn.execute(insert(orders), rows)
        ids = [row.id for row in await conn.execute(select(orders.c.id).where(orders.c.user_id == user_id))]
        await conn.execute(
            insert(order_items),
            [
                {
                    "order_id": order_id,
                    "store_id": "store_001",
                    "product_id": f"prod_{line:04d}",
                    "product_name": f"Product {line} of store_001",
                    "product_image_url": f"https://cdn.s2cart.example/store_001/prod_{line:04d}.jpg",
                    "quantity": 1,
                    "unit_price": Decimal("99.00"),
                    "total_price": Decimal("99.00"),
                }
                for order_id in ids
                for line in (1, 2)
            ],
        )
    seeded.orders_user_access = seeded.access[0]
    seeded.notes.append(f"orders: {count} orders of two lines for user {user_id}")


def write_files(seeded: Seeded, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "access.txt").write_text("\n".join(seeded.access) + "\n")
    (directory / "refresh.txt").write_text("\n".join(seeded.refresh) + "\n")
    (directory / "emails.txt").write_text("\n".join(seeded.emails) + "\n")
    (directory / "user_ids.txt").write_text("\n".join(map(str, seeded.user_ids)) + "\n")
    if seeded.orders_user_access:
        (directory / "orders_user.txt").write_text(seeded.orders_user_access + "\n")
    # One line per cart line: the owner's access token, then what POST /cart/items/ and the write ceiling need.
    (directory / "lines.txt").write_text(
        "".join(
            f"{seeded.access[user]} {seeded.user_ids[user]} {item} {store} {product}\n"
            for user, item, store, product in seeded.lines
        )
    )
