"""Orders, payment attempts and catalog writes in both idioms, for bench/persistence_idioms.py (decision 0031).

``orders``: per round, one user's cart of three lines (filled outside the count) is checked out through
PlaceOrder, an attempt is started for the order (the order and its attempts locked, the attempt and its INITIATE
record inserted: InitiatePayment's writes without the gateway), settled as captured through Settlement.apply
(attempt, CAPTURE record, order paid) and the order cancelled through CancelOrder. Core is the repositories as
they were before the mapping (bench/_core_orders_payments.py); mapped is what ships.

``catalog``: LoadCatalog of ``n`` products (and their store) twice, the first load inserting, the second
updating every price. Core is what ships (one INSERT ... ON CONFLICT per 500 rows); mapped is the idiom's way:
select the chunk's products by key, set the fields of those found, add the others, flush.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from _core_orders_payments import CoreUnitOfWork, leave_unmapped
from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import registry

from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.repositories.catalog import PRODUCT_FIELDS, SqlAlchemyCatalog
from s2cart.adapters.persistence.tables.addresses import addresses
from s2cart.adapters.persistence.tables.carts import carts
from s2cart.adapters.persistence.tables.catalog import products, stores
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.catalog.catalog_document import CatalogDocument
from s2cart.application.catalog.load_catalog import LoadCatalog
from s2cart.application.orders.cancel_order import CancelOrder
from s2cart.application.orders.place_order import PlaceOrder, PlaceOrderCommand
from s2cart.application.payments.settlement import Settlement
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.orders.pricing import PricingPolicy
from s2cart.domain.payments.amounts import to_paise
from s2cart.domain.payments.facts import GatewayFacts, GatewayState
from s2cart.domain.payments.payment import Payment

MERCHANT = "BENCH_MID"


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class Meter:
    """Statements, wall and CPU time of the calls made inside ``measure``; BEGIN/COMMIT/ROLLBACK not counted."""

    def __init__(self, engine: Any) -> None:
        self.on = False
        self.totals: dict[str, list[float]] = {}
        self._seen = 0
        from sqlalchemy import event

        event.listen(engine.sync_engine, "before_cursor_execute", self._count)

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.on and not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            self._seen += 1

    async def measure(self, label: str, call: Awaitable[Any]) -> Any:
        self._seen, self.on = 0, True
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return await call
        finally:
            self.on = False
            row = self.totals.setdefault(label, [0, 0.0, 0.0, 0])
            row[0] += self._seen
            row[1] += time.perf_counter() - wall
            row[2] += time.process_time() - cpu
            row[3] += 1

    def results(self) -> dict[str, dict[str, float]]:
        return {
            label: {"statements": s / n, "wall_ms": w * 1000 / n, "cpu_ms": c * 1000 / n}
            for label, (s, w, c, n) in self.totals.items()
        }


async def _seed_orders(engine: Any, users: list[int]) -> dict[int, int]:
    now = datetime.now(UTC)
    address_of = {}
    async with engine.begin() as connection:
        for user_id in users:
            values = {"user_id": user_id, "contact_name": "Bench", "street_address": "1 Road", "city": "Pune"}
            values |= {"state": "Maharashtra", "pin_code": "411001", "phone_number": "+919876543210"}
            statement = insert(addresses).values(**values, created_at=now, updated_at=now)
            row = await connection.execute(statement.returning(addresses.c.id))
            address_of[user_id] = int(row.scalar_one())
    return address_of


async def run_orders(idiom: str, url: str, n: int, seed: Callable[[Any], Awaitable[list[int]]]) -> dict[str, Any]:
    if idiom == "core":
        leave_unmapped()
    engine = make_engine(url, pool_size=2, max_overflow=0)
    factory = make_session_factory(engine)
    uow = (lambda: CoreUnitOfWork(factory)) if idiom == "core" else (lambda: SqlAlchemyUnitOfWork(factory))
    clock = Clock()
    add = AddItemToCart(uow, clock)  # type: ignore[arg-type]
    place = PlaceOrder(uow, clock, PricingPolicy(), 3)  # type: ignore[arg-type]

    async def no_refund(_user_id: int, _order_id: int) -> None:
        return None

    cancel = CancelOrder(uow, clock, no_refund)  # type: ignore[arg-type]
    settlement = Settlement(uow, None, clock)  # type: ignore[arg-type]
    users = await seed(engine)
    address_of = await _seed_orders(engine, users)
    meter = Meter(engine)

    async def initiate(user_id: int, order_id: int) -> Payment:
        async with uow() as unit:
            order = await unit.orders.get(user_id, order_id)
            assert order is not None
            await unit.payments.of_order(order_id)
            now = clock.now()
            payment = Payment.start(
                user_id=user_id, order_id=order_id, gateway="PAYTM", transaction_id=f"T{order_id}",
                gateway_order_id=f"G{order_id}", amount=order.totals.total_amount, now=now,
            )  # fmt: skip
            payment.initiated(GatewayFacts("PAYTM", GatewayState.SUCCESS), now)
            await unit.payments.add(payment)
            await unit.commit()
        return payment

    for i in range(n):
        user_id = users[i % len(users)]
        for line in range(3):
            await add(user_id, AddItemToCartCommand("store_1", f"p{line}"))
        async with engine.connect() as connection:
            cart_id = (await connection.execute(select(carts.c.id).where(carts.c.user_id == user_id))).scalar_one()
        order = await meter.measure("place", place(user_id, PlaceOrderCommand(cart_id, address_of[user_id])))
        payment = await meter.measure("initiate", initiate(user_id, order.id))
        facts = GatewayFacts(
            "PAYTM", GatewayState.SUCCESS, payment.gateway_order_id, MERCHANT, to_paise(payment.amount), "TXN1"
        )
        settled = await meter.measure("settle", settlement.apply(payment.id, facts, MERCHANT))
        assert settled.captured, settled
        cancelled = await meter.measure("cancel", cancel(user_id, order.id, "bench"))
        assert cancelled.refund_due and len(cancelled.lines) == 3
    await engine.dispose()
    return meter.results()


class MappedCatalog(SqlAlchemyCatalog):
    """Catalog writes in the mapping idiom: load what exists by key, change it, add the rest, flush."""

    async def upsert_products(self, items: Any) -> None:
        keys = [(p.store_id, p.id) for p in items]
        query = select(Product).where(tuple_(products.c.store_id, products.c.id).in_(keys))
        found = {(p.store_id, p.id): p for p in (await self._session.execute(query)).scalars()}
        for item in items:
            known = found.get((item.store_id, item.id))
            if known is None:
                self._session.add(item)
                continue
            for name in (*PRODUCT_FIELDS, "images"):
                if getattr(known, name) != getattr(item, name):
                    object.__setattr__(known, name, getattr(item, name))
        await self._session.flush()

    async def upsert_stores(self, items: Any) -> None:
        for store in items:
            await self._session.merge(store)
        await self._session.flush()


class MappedCatalogUnitOfWork(SqlAlchemyUnitOfWork):
    async def __aenter__(self) -> MappedCatalogUnitOfWork:
        await super().__aenter__()
        self.catalog = MappedCatalog(self.session)
        return self


def map_catalog() -> None:
    """Product and Store are frozen value objects; mapping needs them writable (the ORM sets its state on
    them), so this process drops the frozen guard before mapping them."""
    for cls in (Product, Store):
        del cls.__setattr__
        del cls.__delattr__
    mapper = registry()
    mapper.map_imperatively(Store, stores)
    mapper.map_imperatively(Product, products)


async def run_catalog(idiom: str, url: str, n: int, _seed: Any) -> dict[str, Any]:
    if idiom == "mapped":
        map_catalog()
    engine = make_engine(url, pool_size=2, max_overflow=0)
    factory = make_session_factory(engine)
    uow = (lambda: MappedCatalogUnitOfWork(factory)) if idiom == "mapped" else (lambda: SqlAlchemyUnitOfWork(factory))
    load = LoadCatalog(uow)  # type: ignore[arg-type]
    async with engine.begin() as connection:
        await connection.execute(delete(products))
        await connection.execute(delete(stores))
    meter = Meter(engine)
    store = Store(id="bulk", name="Bulk")
    for label, price in (("load_new", Decimal("10.00")), ("load_again", Decimal("12.50"))):
        items = tuple(Product(store_id="bulk", id=f"b{i:06d}", name=f"B{i}", price=price) for i in range(n))
        await meter.measure(label, load(CatalogDocument(stores=(store,), products=items, coupons=())))
    async with engine.connect() as connection:  # both idioms must have written the same rows
        prices = (await connection.execute(select(products.c.price).where(products.c.store_id == "bulk"))).scalars()
        assert sorted(prices) == [Decimal("12.50")] * n
    await engine.dispose()
    return meter.results()
