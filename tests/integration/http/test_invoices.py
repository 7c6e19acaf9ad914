"""Tax invoices and credit notes over HTTP, on both backends (decision 0037): issued when Settlement pays a
GST-mode order, read as JSON or PDF, refused with a reason before payment, for contract-mode orders and for a
store without a GSTIN; a cancellation after the invoice issues a credit note and leaves the invoice alone."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from s2cart.application.catalog.catalog_document import parse_catalog_document
from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import Client
from tests.integration.http.test_orders import Shopper, new_shopper
from tests.integration.invoice_world import KARNATAKA, MAHARASHTRA, amount, pay, pdf_text
from tests.integration.mailbox import Mailbox

STORE = "store_inv"
GSTIN = "29AAKCS4821M1ZS"
CATALOG: dict[str, Any] = {
    "stores": [
        {
            "id": STORE,
            "name": "Invoice Mart",
            "address": "12, 80 Feet Road, Koramangala",
            "city": "Bengaluru",
            "pincode": "560034",
            "state_code": "29",
            "legal_name": "Invoice Mart Private Limited",
            "gstin": GSTIN,
        },
        {"id": "store_nogst", "name": "No GSTIN Stores", "state_code": "29"},
    ],
    "products": [
        {"store_id": store, "id": pid, "name": name, "price": price, "hsn_code": hsn, "gst_rate": rate}
        for store, pid, name, price, hsn, rate in (
            (STORE, "phones", "Headphones", "500.00", "8518", "18"),
            (STORE, "rice", "Basmati Rice 5 kg", "649.00", "1006", "5"),
            (STORE, "milk", "Fresh Milk 1 L", "68.00", "0401", "0"),
            (STORE, "cola", "Cola 2 L", "95.00", "2202", "40"),
            ("store_nogst", "soap", "Soap", "40.00", "3401", "18"),
        )
    ],
    "coupons": [{"code": "INV100", "kind": "FLAT", "value": "100.00"}],
}
NUMBER = re.compile(r"[A-Za-z0-9/-]{1,16}")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return msgspec.structs.replace(settings, tax_mode="gst")


async def _shopper(client: Client, mailbox: Mailbox, address: dict[str, Any] = KARNATAKA) -> Shopper:
    shopper = await new_shopper(client, mailbox)
    created = await client.post("/api/auth/addresses/", headers=shopper.headers, json=address)
    assert created.status_code == 201, created.text
    shopper.address_id = int(created.json()["data"]["id"])
    return shopper


async def _order(shopper: Shopper, items: dict[str, int], store: str = STORE, **extra: Any) -> dict[str, Any]:
    cart = 0
    for product, quantity in items.items():
        cart = await shopper.add(store, product, quantity)
    response = await shopper.order(cart, **extra)
    assert response.status_code == 201, response.text
    return dict(response.json()["data"])


@pytest.fixture
async def world(container: Container) -> Container:
    await container.load_catalog()(parse_catalog_document(CATALOG))
    return container


async def _get(shopper: Shopper, order_id: int, what: str = "invoice", **params: str) -> Any:
    return await shopper.client.get(f"/api/auth/orders/{order_id}/{what}/", headers=shopper.headers, params=params)


async def test_a_paid_intra_state_order_has_its_invoice_and_a_stranger_gets_404(
    client: Client, world: Container, mailbox: Mailbox
) -> None:
    shopper = await _shopper(client, mailbox)
    order = await _order(shopper, {"phones": 2, "rice": 1, "milk": 3, "cola": 2}, coupon_code="INV100")

    before = await _get(shopper, order["id"])
    assert before.status_code == 409, before.text
    assert before.json()["error_code"] == "INVOICE_001"
    assert "not paid" in before.json()["message"]

    await pay(world, order["id"])
    response = await _get(shopper, order["id"])
    assert response.status_code == 200, response.text
    invoice = response.json()["data"]
    assert NUMBER.fullmatch(invoice["invoice_number"]), invoice["invoice_number"]
    assert invoice["invoice_number"].endswith("/000001")
    assert invoice["document_type"] == "TAX_INVOICE"
    assert invoice["supplier"] == {
        "legal_name": "Invoice Mart Private Limited",
        "address": "12, 80 Feet Road, Koramangala, Bengaluru, 560034",
        "gstin": GSTIN,
        "state_code": "29",
        "state": "Karnataka",
    }
    assert invoice["recipient"]["name"] == "Asha Rao" and invoice["recipient"]["state"] == "Karnataka"
    assert invoice["place_of_supply"] == {"state": "Karnataka", "state_code": "29"}
    assert invoice["reverse_charge"] is False
    assert invoice["order_number"] == order["order_number"]

    lines = invoice["lines"]
    assert [line["hsn_code"] for line in lines] == ["8518", "1006", "0401", "2202", "9965"]  # shipping last
    assert [amount(line["gst_rate"]) for line in lines[:4]] == [18, 5, 0, 40]
    assert sum(amount(line["discount"]) for line in lines) == Decimal("100.00")  # the coupon, allocated exactly
    for line in lines:
        assert amount(line["igst_amount"]) == 0 and amount(line["cgst_amount"]) == amount(line["sgst_amount"])
        assert amount(line["total"]) == amount(line["taxable_value"]) + 2 * amount(line["cgst_amount"])
    totals = invoice["totals"]
    assert amount(totals["total_amount"]) == amount(order["total_amount"])
    assert amount(totals["total_tax"]) == amount(order["tax_amount"])
    assert amount(totals["cess"]) == 0
    assert invoice["amount_in_words"].startswith("Rupees ") and invoice["amount_in_words"].endswith(" Only")

    stranger = await _shopper(client, mailbox)
    for what in ("invoice", "credit-note"):
        assert (await _get(stranger, order["id"], what)).status_code == 404
        assert (await _get(stranger, order["id"], what, format="pdf")).status_code == 404
    not_cancelled = await _get(shopper, order["id"], "credit-note")
    assert not_cancelled.status_code == 409 and not_cancelled.json()["error_code"] == "INVOICE_004"


async def test_an_inter_state_order_is_invoiced_with_igst(client: Client, world: Container, mailbox: Mailbox) -> None:
    shopper = await _shopper(client, mailbox, MAHARASHTRA)
    order = await _order(shopper, {"phones": 1})
    await pay(world, order["id"])
    invoice = (await _get(shopper, order["id"])).json()["data"]
    assert invoice["place_of_supply"] == {"state": "Maharashtra", "state_code": "27"}
    phones, shipping = invoice["lines"]
    assert (amount(phones["igst_amount"]), amount(phones["cgst_amount"])) == (Decimal("90.00"), 0)
    assert amount(phones["igst_rate"]) == 18 and amount(phones["cgst_rate"]) == 0
    assert amount(shipping["igst_amount"]) == Decimal("9.00")  # 50.00 at the goods' 18%
    assert amount(invoice["totals"]["total_amount"]) == Decimal("649.00") == amount(order["total_amount"])
    assert invoice["amount_in_words"] == "Rupees Six Hundred Forty-Nine Only"


async def test_the_pdf_carries_the_gstin_number_hsn_codes_and_totals(
    client: Client, world: Container, mailbox: Mailbox
) -> None:
    shopper = await _shopper(client, mailbox)
    order = await _order(shopper, {"phones": 2, "rice": 1})
    await pay(world, order["id"])
    invoice = (await _get(shopper, order["id"])).json()["data"]

    by_query = await _get(shopper, order["id"], format="pdf")
    by_accept = await shopper.client.get(
        f"/api/auth/orders/{order['id']}/invoice/", headers={**shopper.headers, "Accept": "application/pdf"}
    )
    for response in (by_query, by_accept):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
    filename = invoice["invoice_number"].replace("/", "-") + ".pdf"
    assert by_query.headers["content-disposition"] == f'inline; filename="{filename}"'
    text = pdf_text(by_query.content)
    for expected in (GSTIN, invoice["invoice_number"], "8518", "1006", "9965", "TAX INVOICE", "Karnataka (29)"):
        assert expected in text, (expected, text)
    total = amount(invoice["totals"]["total_amount"])
    assert f"INR {total:,.2f}" in text  # below a lakh, Indian and Western grouping agree
    assert invoice["amount_in_words"] in text.replace("\n", " ")
    bad = await _get(shopper, order["id"], format="docx")
    assert bad.status_code == 400 and bad.json()["errors"]["format"]


async def test_cancelling_a_paid_order_issues_a_credit_note_and_keeps_the_invoice(
    client: Client, world: Container, mailbox: Mailbox
) -> None:
    shopper = await _shopper(client, mailbox)
    order = await _order(shopper, {"phones": 1, "cola": 1})
    before_payment = await _get(shopper, order["id"], "credit-note")
    assert before_payment.status_code == 409 and before_payment.json()["error_code"] == "INVOICE_004"
    await pay(world, order["id"])
    invoice = (await _get(shopper, order["id"])).json()["data"]

    cancelled = await shopper.client.patch(
        f"/api/auth/orders/{order['id']}/",
        headers=shopper.headers,
        json={"status": "CANCELLED", "cancellation_reason": "Ordered twice"},
    )
    assert cancelled.status_code == 200, cancelled.text
    response = await _get(shopper, order["id"], "credit-note")
    assert response.status_code == 200, response.text
    note = response.json()["data"]
    assert note["document_type"] == "CREDIT_NOTE"
    assert re.fullmatch(r"[A-Z0-9]{1,4}/C\d{4}/00001", note["invoice_number"]), note["invoice_number"]
    assert note["original_invoice"] == {
        "invoice_number": invoice["invoice_number"],
        "invoice_date": invoice["invoice_date"],
    }
    assert note["reason"] == "Order cancelled: Ordered twice"
    assert note["lines"] == invoice["lines"] and note["totals"] == invoice["totals"]
    assert (await _get(shopper, order["id"])).json()["data"] == invoice  # the invoice is never altered
    pdf = await _get(shopper, order["id"], "credit-note", format="pdf")
    text = pdf_text(pdf.content)
    assert "CREDIT NOTE" in text and note["invoice_number"] in text and invoice["invoice_number"] in text


async def test_invoices_are_numbered_consecutively_per_store(
    client: Client, world: Container, mailbox: Mailbox
) -> None:
    shopper = await _shopper(client, mailbox)
    numbers = []
    for _ in range(3):
        order = await _order(shopper, {"milk": 1})
        await pay(world, order["id"])
        numbers.append((await _get(shopper, order["id"])).json()["data"]["invoice_number"])
    prefix = numbers[0].rsplit("/", 1)[0]
    assert numbers == [f"{prefix}/{serial:06d}" for serial in (1, 2, 3)]


async def test_a_store_without_a_gstin_issues_no_invoice_and_says_why(
    client: Client, world: Container, mailbox: Mailbox
) -> None:
    shopper = await _shopper(client, mailbox)
    order = await _order(shopper, {"soap": 1}, store="store_nogst")
    await pay(world, order["id"])  # the payment is taken all the same
    for params in ({}, {"format": "pdf"}):
        response = await _get(shopper, order["id"], **params)
        assert response.status_code == 409, response.text
        assert response.json()["error_code"] == "INVOICE_003"
        assert "store_nogst" in response.json()["message"] and "gstin" in response.json()["message"]
