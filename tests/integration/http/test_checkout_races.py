"""Checkouts and cancellations of the same products, in opposite orders, 20-way through the HTTP app.

On PostgreSQL the requests really interleave: taking stock line by line in cart order deadlocked two carts
holding the same products in opposite orders (decision 0023). Every request must succeed and the stock must
come out exact. With conflict retries switched off the lock order alone must hold; with them on (the
default), the retries the race needed are printed for the record (`pytest -s`).
"""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
import pytest

from s2cart.application.catalog.catalog_document import parse_catalog_document
from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.http.customers import concurrent_client
from tests.integration.http.test_orders import Shopper, new_shopper
from tests.integration.mailbox import Mailbox

STORE = "store_race"
PRODUCTS = ["race_a", "race_b", "race_c", "race_d"]
STOCK = 1000
WAY = 20
CATALOG = {
    "stores": [{"id": STORE, "name": "Race Store"}],
    "products": [
        {"store_id": STORE, "id": p, "name": f"Product {p}", "price": "10.00", "stock": STOCK} for p in PRODUCTS
    ],
}


async def _stock(container: Any) -> dict[str, int | None]:
    async with container.uow() as uow:
        found = {p: await uow.catalog.product(STORE, p) for p in PRODUCTS}
    return {p: product.stock if product else None for p, product in found.items()}


async def _fill(shopper: Shopper, order: list[str], quantity: int) -> int:
    cart_id = 0
    for product in order:
        cart_id = await shopper.add(STORE, product, quantity)
    return cart_id


def _failures(responses: list[Any], expected: int) -> list[str]:
    return [f"{r.status_code} {r.text[:120]}" for r in responses if r.status_code != expected]


@pytest.mark.parametrize("retries", [0, None], ids=["lock-order-alone", "with-retries"])
async def test_opposite_order_checkouts_and_cancels_all_succeed(
    settings: Settings, mailbox: Mailbox, retries: int | None
) -> None:
    if retries is not None:
        settings = msgspec.structs.replace(settings, database_conflict_retries=retries)
    container = build_container(settings)
    app = create_app(container=container)
    await container.load_catalog()(parse_catalog_document(CATALOG))
    async with concurrent_client(app, container) as client:
        shoppers = [await new_shopper(client, mailbox) for _ in range(WAY)]  # type: ignore[arg-type]
        forward, backward = PRODUCTS, PRODUCTS[::-1]
        orders_of = [forward if n % 2 == 0 else backward for n in range(WAY)]

        # Round one: every cart holds the four products, half of them filled in reverse order.
        carts = [await _fill(s, order, 1) for s, order in zip(shoppers, orders_of, strict=True)]
        placed = await asyncio.gather(*(s.order(c) for s, c in zip(shoppers, carts, strict=True)))
        assert not _failures(placed, 201), _failures(placed, 201)
        assert await _stock(container) == {p: STOCK - WAY for p in PRODUCTS}

        # Round two: each shopper cancels that order (its lines in the first order) while checking out a
        # second cart filled the other way round, all at once.
        again = [await _fill(s, order[::-1], 2) for s, order in zip(shoppers, orders_of, strict=True)]
        first_ids = [r.json()["data"]["id"] for r in placed]
        cancel = {"status": "CANCELLED", "cancellation_reason": "Changed my mind"}
        responses = await asyncio.gather(
            *(
                s.client.patch(f"/api/auth/orders/{order_id}/", headers=s.headers, json=cancel)
                for s, order_id in zip(shoppers, first_ids, strict=True)
            ),
            *(s.order(c) for s, c in zip(shoppers, again, strict=True)),
        )
        cancelled, placed_again = list(responses[:WAY]), list(responses[WAY:])
        failures = _failures(cancelled, 200) + _failures(placed_again, 201)
        retried = container.conflict_retry().retried
        print(f"\n[{settings.database_url.split(':')[0]} retries={retries}] conflict retries: {retried}")
        assert not failures, f"{len(failures)} of {2 * WAY} failed: {failures}"
        stock = await _stock(container)
        assert stock == {p: STOCK - 2 * WAY for p in PRODUCTS}, stock
        assert all(s is not None and s >= 0 for s in stock.values())
