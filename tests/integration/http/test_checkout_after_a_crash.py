"""A checkout whose worker was killed (SIGKILL) mid-request: the retry with the same Idempotency-Key, after the
lease, places the order; the next retry replays it; one order exists.

The first checkout stalls inside its order transaction, after its claim was committed: the test holds the
product's row lock, so the stock update waits. PostgreSQL only: SQLite takes its one write lock at BEGIN,
so a lock held from outside would stop the claim itself, before the point this test is about (the payment
test in tests/integration/payments/test_idempotency_after_a_crash.py covers both databases).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import Client
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.test_orders import Shopper, new_shopper
from tests.integration.mailbox import Mailbox
from tests.integration.server_process import serving

LEASE_SECONDS = 3
ORDERS = "/api/auth/orders/"


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _waiting_on_a_lock(conninfo: str) -> bool:
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as probe:
        cursor = await probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = await cursor.fetchone()
    return bool(row and row[0])


@pytest.fixture
def postgresql_only(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("the stall needs a row lock: PostgreSQL only (see the module docstring)")


async def test_a_checkout_retried_after_its_worker_was_killed_places_one_order(
    postgresql_only: None, client: Client, container: Container, mailbox: Mailbox, settings: Settings, tmp_path: Path
) -> None:
    await load_demo_catalog(container)
    shopper: Shopper = await new_shopper(client, mailbox)
    cart_id = await shopper.add("store_123", "prod_001", 2)
    headers = {**shopper.headers, "Idempotency-Key": "checkout-once"}
    body = {"cart_id": cart_id, "shipping_address_id": shopper.address_id}
    conninfo = _conninfo(settings.database_url)
    log = tmp_path / "serve.log"
    lease = {"idempotency_lease_seconds": str(LEASE_SECONDS)}

    async with await psycopg.AsyncConnection.connect(conninfo) as holder:
        await holder.execute("SELECT stock FROM products WHERE store_id = 'store_123' AND id = 'prod_001' FOR UPDATE")
        with serving(settings.database_url, log, **lease) as (first_worker, base):
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                in_flight = asyncio.create_task(client.post(ORDERS, headers=headers, json=body))
                deadline = time.monotonic() + 20
                while not await _waiting_on_a_lock(conninfo):  # claimed, and inside the order transaction
                    assert not in_flight.done(), in_flight.result().text
                    assert time.monotonic() < deadline, log.read_text()
                    await asyncio.sleep(0.05)
                stalled_at = time.monotonic()
                first_worker.kill()
                assert first_worker.wait(10) == -9
                with pytest.raises(httpx.TransportError):
                    await in_flight
        await holder.rollback()  # the dead worker's transaction goes on, finds its client gone, rolls back

    with serving(settings.database_url, log, **lease) as (_, base):
        await asyncio.sleep(max(0.0, stalled_at + LEASE_SECONDS - time.monotonic()) + 0.5)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            retry = await client.post(ORDERS, headers=headers, json=body)
            replay = await client.post(ORDERS, headers=headers, json=body)
            listing = await client.get(ORDERS, headers=shopper.headers)

    assert retry.status_code == 201, retry.text  # today's code: 409 IDEMPOTENCY_002, for 24 hours
    assert (replay.status_code, replay.content, replay.headers["idempotent-replayed"]) == (201, retry.content, "true")
    orders = listing.json()["data"]
    assert [o["id"] for o in orders] == [retry.json()["data"]["id"]]
    assert orders[0]["items"][0]["quantity"] == 2
