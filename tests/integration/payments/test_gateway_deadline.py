"""A gateway that accepts the connection and never answers holds a customer no longer than the gateway
deadline (S2CART_GATEWAY_DEADLINE_SECONDS), retries included; the payment stays PENDING for the reconciler
(issue 16.5). Before the deadline, /payments/initiate/ took 30 s and /payments/status/ 59 s."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from s2cart.adapters.persistence.engine import make_engine
from s2cart.adapters.persistence.tables.payments import payments
from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import Client
from tests.integration.mailbox import Mailbox
from tests.integration.payments.bridge import Bridge
from tests.integration.payments.conftest import gateway_settings
from tests.integration.payments.test_payment_api import new_customer

DEADLINE = 1.0
SLACK = 1.5  # the app's own work (a sign-in's worth of database round trips) on a loaded machine


class HungGateway:
    """An asyncio server on a free port that accepts every connection, reads, and never answers."""

    def __init__(self) -> None:
        self.connections = 0
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while await reader.read(65536):
                pass  # swallow the request; answer nothing
        finally:
            writer.close()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._hold, "127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        self._ready.set()
        self._loop.run_forever()
        server.close()

    def __enter__(self) -> HungGateway:
        self._thread.start()
        assert self._ready.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


@pytest.fixture
def hung_gateway() -> Iterator[HungGateway]:
    with HungGateway() as gateway:
        yield gateway


@pytest.fixture
def settings(database_url: str, smtp_server: Mailbox, bridge_server: Bridge, hung_gateway: HungGateway) -> Settings:
    """Both gateways enabled, both at the hung server; the adapters keep their default 30 s read timeout."""
    return gateway_settings(
        database_url, smtp_server, bridge_server, hung_gateway.url, gateway_deadline_seconds=DEADLINE
    )


async def age_attempts(settings: Settings, by: timedelta) -> None:
    """As if the attempts were made ``by`` ago and last asked about then (the status read refreshes after 5 s)."""
    engine = make_engine(settings.database_url)
    try:
        async with engine.begin() as connection:
            rows = (await connection.execute(select(payments.c.id, payments.c.created_at))).all()
            for row in rows:
                await connection.execute(
                    update(payments)
                    .where(payments.c.id == row.id)
                    .values(created_at=row.created_at - by, last_checked_at=None)
                )
    finally:
        await engine.dispose()


@pytest.mark.parametrize("method", ["PHONEPE", "PAYTM"])
async def test_a_hung_gateway_holds_the_customer_no_longer_than_the_deadline(
    api: Client,
    container: Container,
    mailbox: Mailbox,
    settings: Settings,
    hung_gateway: HungGateway,
    method: str,
) -> None:
    customer = await new_customer(api, container, mailbox)
    order_id = await customer.order()

    began = time.monotonic()
    initiated = await customer.initiate(order_id, method)
    initiate_took = time.monotonic() - began

    assert (initiated.status_code, initiated.json()["error_code"]) == (503, "PAY_503"), initiated.text
    assert initiate_took < DEADLINE + SLACK, initiate_took
    assert hung_gateway.connections >= 1  # the gateway was really asked, and never answered

    await age_attempts(settings, timedelta(seconds=30))
    asked_before = hung_gateway.connections
    began = time.monotonic()
    status = await customer.get(f"/payments/status/{order_id}/")
    status_took = time.monotonic() - began

    assert status.status_code == 200, status.text
    assert status.json()["data"]["status"] == "PENDING"  # the current state; the reconciler finishes the work
    assert status_took < DEADLINE + SLACK, status_took
    assert hung_gateway.connections > asked_before  # the refresh did ask the gateway
