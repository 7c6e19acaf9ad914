from __future__ import annotations

from decimal import Decimal

import pytest

from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from tests.fakes import FakeClock, FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    """A unit of work over a small committed catalog: SuperMart and TechMart."""
    fake = FakeUnitOfWork()
    catalog = fake.catalog
    for store in (Store("store_123", "SuperMart"), Store("store_456", "TechMart")):
        catalog.stores[store.id] = store
    for product in (
        Product("store_123", "prod_001", "Wireless Headphones", Decimal("500.00"), 100, "https://x.test/1.jpg"),
        Product("store_123", "prod_003", "USB-C Cable", Decimal("250.50")),
        Product("store_123", "prod_009", "Last Few", Decimal("99.99"), stock=3),
        Product("store_456", "prod_002", "Bluetooth Speaker", Decimal("750.00"), 10),
    ):
        catalog.products[(product.store_id, product.id)] = product
    return fake


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
