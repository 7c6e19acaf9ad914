"""20 payments of one store's orders settled at once: the invoices take serials 1 to 20, no gap, no repeat.

On PostgreSQL the settlements really interleave (each in its own transaction on its own connection): the
counter row's upsert ... RETURNING holds the row until the paying transaction commits, so the next payment
waits for it. Without that lock two would read the same value (a duplicate) or a rolled-back one would leave
a gap. SQLite serialises the transactions, and must come out the same.
"""

from __future__ import annotations

import asyncio

import msgspec

from s2cart.application.catalog.catalog_document import parse_catalog_document
from s2cart.domain.invoices.numbering import Series
from s2cart.entrypoints.container import build_container, close_resources
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.http.customers import concurrent_client
from tests.integration.http.test_invoices import CATALOG, STORE
from tests.integration.http.test_orders import new_shopper
from tests.integration.invoice_world import KARNATAKA, MERCHANT, start_payment
from tests.integration.mailbox import Mailbox

WAY = 20


async def test_twenty_parallel_payments_take_consecutive_invoice_numbers(settings: Settings, mailbox: Mailbox) -> None:
    settings = msgspec.structs.replace(settings, tax_mode="gst")
    container = build_container(settings)
    app = create_app(container=container)
    await container.load_catalog()(parse_catalog_document(CATALOG))
    order_ids = []
    async with concurrent_client(app, container) as client:
        for _ in range(WAY):
            shopper = await new_shopper(client, mailbox)  # type: ignore[arg-type]
            created = await client.post("/api/auth/addresses/", headers=shopper.headers, json=KARNATAKA)
            shopper.address_id = int(created.json()["data"]["id"])
            response = await shopper.order(await shopper.add(STORE, "rice", 1))
            assert response.status_code == 201, response.text
            order_ids.append(int(response.json()["data"]["id"]))
    container = build_container(settings)  # the client's pools closed with it
    try:
        started = [await start_payment(container, order_id) for order_id in order_ids]
        settlement = container.settlement()
        settled = await asyncio.gather(*(settlement.apply(pid, facts, MERCHANT) for pid, facts in started))
        assert all(s.captured for s in settled)
        async with container.uow() as uow:
            invoices = [await uow.invoices.of_order(order_id, Series.INVOICE) for order_id in order_ids]
    finally:
        await close_resources(container)
    assert all(invoice is not None for invoice in invoices)
    serials = sorted(invoice.serial for invoice in invoices if invoice is not None)
    assert serials == list(range(1, WAY + 1))
    numbers = {invoice.number for invoice in invoices if invoice is not None}
    assert len(numbers) == WAY and all(len(number) <= 16 for number in numbers)
    assert all(invoice.number.endswith(f"/{invoice.serial:06d}") for invoice in invoices if invoice is not None)
