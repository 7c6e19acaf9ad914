"""The accountant's commands (``s2cart invoices show|list``, ``--json`` and the GSTR-1 ``--csv``), the catalog
load's warning about stores that cannot invoice, and contract-mode orders, which get no invoice (409)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest

from s2cart.application.catalog.catalog_document import parse_catalog_document
from s2cart.domain.invoices.numbering import indian_date
from s2cart.entrypoints.container import Container, build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import Client
from tests.integration.http.test_invoices import CATALOG, STORE, _get, _order, _shopper
from tests.integration.invoice_world import MAHARASHTRA, amount, pay
from tests.integration.mailbox import Mailbox
from tests.integration.test_cli import s2cart


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return msgspec.structs.replace(settings, tax_mode="gst")


@pytest.fixture
async def world(container: Container) -> Container:
    await container.load_catalog()(parse_catalog_document(CATALOG))
    return container


async def test_show_list_json_and_the_gstr1_csv(
    settings: Settings, client: Client, world: Container, mailbox: Mailbox
) -> None:
    here = await _shopper(client, mailbox)
    away = await _shopper(client, mailbox, MAHARASHTRA)
    first = await _order(here, {"phones": 1, "rice": 1})
    second = await _order(away, {"phones": 2})
    third = await _order(here, {"cola": 1})
    for order in (first, second, third):
        await pay(world, order["id"])
    cancelled = await here.client.patch(
        f"/api/auth/orders/{third['id']}/", headers=here.headers, json={"status": "CANCELLED"}
    )
    assert cancelled.status_code == 200, cancelled.text
    invoice = (await _get(here, first["id"])).json()["data"]
    note = (await _get(here, third["id"], "credit-note")).json()["data"]

    shown = s2cart(settings, "invoices", "show", invoice["invoice_number"], process=True)
    assert shown.returncode == 0, shown.stderr
    assert invoice["invoice_number"] in shown.stdout and "29AAKCS4821M1ZS" in shown.stdout
    assert "HSN 8518" in shown.stdout and "HSN 1006" in shown.stdout
    assert f"total {invoice['totals']['total_amount']:.2f}" in shown.stdout
    as_json = json.loads(s2cart(settings, "invoices", "show", note["invoice_number"], "--json").stdout)
    assert as_json["count"] == 1 and as_json["documents"][0]["refers_to_number"]
    missing = s2cart(settings, "invoices", "show", "NOPE/2627/000001")
    assert missing.returncode == 1 and "No invoice or credit note numbered NOPE/2627/000001" in missing.stderr

    today = indian_date(datetime.now(UTC))
    period = ("--store", STORE, "--from", str(today - timedelta(days=1)), "--to", str(today))
    listed = json.loads(s2cart(settings, "invoices", "list", *period, "--json").stdout)
    assert listed["count"] == 4  # three invoices and a credit note
    assert [row["type"] for row in listed["documents"]].count("CREDIT_NOTE") == 1
    assert {row["place_of_supply"] for row in listed["documents"]} == {"29", "27"}
    table = s2cart(settings, "invoices", "list", *period)
    assert table.returncode == 0 and "(4 documents)" in table.stdout
    earlier = json.loads(
        s2cart(
            settings, "invoices", "list", "--store", STORE, "--from", "2020-04-01", "--to", "2021-03-31", "--json"
        ).stdout
    )
    assert earlier["count"] == 0

    exported = s2cart(settings, "invoices", "list", *period, "--csv")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    by_key = {(row["Place Of Supply"], Decimal(row["Rate"])): row for row in rows}
    # Cola's invoice and its credit note cancel out; the shipping lines count at the goods' rate.
    assert set(by_key) == {("29-Karnataka", Decimal(18)), ("29-Karnataka", Decimal(5)), ("29-Karnataka", Decimal(40)),
                           ("27-Maharashtra", Decimal(18))}  # fmt: skip
    cola = by_key[("29-Karnataka", Decimal(40))]
    assert (amount(cola["Taxable Value"]), amount(cola["Central Tax"])) == (0, 0)
    inter = by_key[("27-Maharashtra", Decimal(18))]
    assert amount(inter["Taxable Value"]) == Decimal("1050.00")  # two headphones and shipping
    assert amount(inter["Integrated Tax"]) == Decimal("189.00") and amount(inter["Central Tax"]) == 0
    assert all(amount(row["Cess Amount"]) == 0 and row["Type"] == "OE" for row in rows)
    bad = s2cart(settings, "invoices", "list", "--store", STORE, "--from", "2026-05-01", "--to", "2026-04-01")
    assert bad.returncode == 1 and "ends before it starts" in bad.stderr


async def test_the_catalog_load_warns_about_stores_that_cannot_invoice(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    stateless = {"id": "store_nostate", "name": "No State Stores"}
    path.write_text(json.dumps({**CATALOG, "stores": [*CATALOG["stores"], stateless]}), encoding="utf-8")
    loaded = s2cart(settings, "catalog", "load", str(path), env_extra={"S2CART_TAX_MODE": "gst"}, process=True)
    assert loaded.returncode == 0, loaded.stderr
    assert "store store_nogst cannot issue tax invoices: it has no gstin, legal_name" in loaded.stderr
    assert "store store_nostate has no state_code: in GST mode it cannot sell" in loaded.stderr
    assert "store_inv " not in loaded.stderr
    quiet = s2cart(settings, "catalog", "load", str(path), env_extra={"S2CART_TAX_MODE": "contract"})
    assert quiet.returncode == 0 and "cannot issue tax invoices" not in quiet.stderr


async def test_a_contract_mode_order_gets_no_invoice(settings: Settings, mailbox: Mailbox) -> None:
    from litestar.testing import AsyncTestClient

    contract = msgspec.structs.replace(settings, tax_mode="contract")
    container = build_container(contract)
    await container.load_catalog()(parse_catalog_document(CATALOG))
    async with AsyncTestClient(app=create_app(container=container), base_url="http://testserver.local") as client:
        shopper = await _shopper(client, mailbox)
        order = await _order(shopper, {"phones": 1})
        assert order["tax_mode"] == "contract"
        await pay(container, order["id"])
        for params in ({}, {"format": "pdf"}):
            response = await _get(shopper, order["id"], **params)
            assert response.status_code == 409, response.text
            assert response.json()["error_code"] == "INVOICE_002"
            assert "contract tax mode" in response.json()["message"]
