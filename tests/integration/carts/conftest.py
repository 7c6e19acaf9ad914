"""Carts and catalog against real databases: use cases wired the way the container wires them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.cart_merge import DriverCartLineMerge
from s2cart.adapters.persistence.engine import Reads, make_engine, make_reads, make_session_factory
from s2cart.adapters.persistence.readers.carts import SqlAlchemyCartReader
from s2cart.adapters.persistence.session_factory import AsyncSessionFactory
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.application.catalog.catalog_document import CatalogDocument
from s2cart.application.catalog.load_catalog import LoadCatalog
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from tests.fakes import FakeClock
from tests.integration.rows import insert_user


@dataclass
class Db:
    engine: AsyncEngine
    session_factory: AsyncSessionFactory
    clock: FakeClock
    # PostgreSQL: the driver pool add-item's merge runs on (decision 0048), its statements counted with the engine's.
    reads: Reads | None = None

    @property
    def merge(self) -> DriverCartLineMerge | None:
        """Add-item's one-round-trip merge, as the container wires it: on PostgreSQL only."""
        return None if self.reads is None else DriverCartLineMerge(self.reads.driver_pool, self.reads.dialect)

    def uow(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.session_factory)

    def reader(self) -> SqlAlchemyCartReader:
        return SqlAlchemyCartReader(self.engine)

    async def add_user(self, name: str) -> int:
        return await insert_user(self.engine, name)

    async def load(self, stores: list[Store], products: list[Product]) -> None:
        await LoadCatalog(self.uow)(CatalogDocument(stores=tuple(stores), products=tuple(products)))

    def count_statements(self) -> Callable[[], int]:
        """Start counting SQL statements; the returned function tells how many so far."""
        seen: list[str] = []

        def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            # SQLite's explicit BEGIN IMMEDIATE (see engine.py) is transaction control, not a query.
            if not statement.lstrip().upper().startswith("BEGIN"):
                seen.append(statement)

        event.listen(self.engine.sync_engine, "before_cursor_execute", on_execute)
        return lambda: len(seen)


SUPERMART = Store("store_123", "SuperMart")
TECHMART = Store("store_456", "TechMart")
HEADPHONES = Product("store_123", "prod_001", "Wireless Headphones", Decimal("500.00"), 100, "https://x.test/1.jpg")
CABLE = Product("store_123", "prod_003", "USB-C Cable", Decimal("250.50"))
SCARCE = Product("store_123", "prod_009", "Last Few", Decimal("99.99"), stock=3)
SPEAKER = Product("store_456", "prod_002", "Bluetooth Speaker", Decimal("750.00"), 10)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Db]:
    engine = make_engine(database_url, pool_size=10, max_overflow=15)
    reads = (
        make_reads(database_url, pool_size=5, statements_seen_by=engine)
        if engine.dialect.name == "postgresql"
        else None
    )
    database = Db(engine, make_session_factory(engine), FakeClock(), reads)
    await database.load([SUPERMART, TECHMART], [HEADPHONES, CABLE, SCARCE, SPEAKER])
    yield database
    if reads is not None:
        await reads.dispose()
    await engine.dispose()
