"""Hostile, unauthenticated callback input over HTTP: every parsing failure is a 4xx in the contract's envelope,
checked before any costly or fragile parsing, and records or changes nothing (issue 16.4)."""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy import func, select

from s2cart.adapters.payments import paytm_checksum, phonepe_signature
from s2cart.adapters.persistence.engine import make_engine
from s2cart.adapters.persistence.tables.payments import payment_notifications
from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import Settings
from tests.integration.http.accounts import Client
from tests.integration.mailbox import Mailbox
from tests.integration.payments.conftest import SimControl
from tests.integration.payments.test_payment_api import new_customer
from tests.integration.payments.vectors import PAYTM_KEY, PAYTM_MID, PHONEPE_SALT_INDEX, PHONEPE_SALT_KEY

PHONEPE_CALLBACK = "/api/auth/payments/phonepe/callback/"
PAYTM_CALLBACK = "/api/auth/payments/paytm/callback/"


async def notifications(settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(select(func.count()).select_from(payment_notifications))).scalar_one())
    finally:
        await engine.dispose()


def refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert (body["status"], body["code"], body["error_code"]) == ("error", status, code)
    assert "Traceback" not in response.text and "Recursion" not in response.text


async def test_deeply_nested_json_in_a_phonepe_callback_is_a_400(api: Client, settings: Settings) -> None:
    # A well-formed X-VERIFY (signed with our salt, over something else) so the body is actually read.
    header = phonepe_signature.sign("anything", PHONEPE_SALT_KEY, PHONEPE_SALT_INDEX)
    for depth in (100_000, 20_000):  # past the size bound, and within it (the parser's recursion)
        response = await api.post(
            PHONEPE_CALLBACK,
            content=b"[" * depth,
            headers={"content-type": "application/json", "x-verify": header},
        )
        refused(response, 400, "PAY_400")
    assert await notifications(settings) == 0


async def test_nesting_inside_a_signed_response_is_a_400(api: Client, settings: Settings) -> None:
    response_text = base64.b64encode(b"[" * 20_000).decode()
    header = phonepe_signature.sign(response_text, PHONEPE_SALT_KEY, PHONEPE_SALT_INDEX)
    response = await api.post(
        PHONEPE_CALLBACK,
        content=json.dumps({"response": response_text}).encode(),
        headers={"content-type": "application/json", "x-verify": header},
    )
    refused(response, 400, "PAY_400")
    assert await notifications(settings) == 0


async def test_an_x_verify_with_a_5000_digit_salt_index_is_a_401(api: Client, settings: Settings) -> None:
    response_text = base64.b64encode(b'{"success":true}').decode()
    digest = phonepe_signature.sign(response_text, PHONEPE_SALT_KEY, PHONEPE_SALT_INDEX).split("###")[0]
    for index in ("9" * 5000, "1" + "0" * 4999):
        response = await api.post(
            PHONEPE_CALLBACK,
            content=json.dumps({"response": response_text}).encode(),
            headers={"content-type": "application/json", "x-verify": f"{digest}###{index}"},
        )
        refused(response, 401, "PAY_401")
    assert await notifications(settings) == 0


async def test_a_signed_paytm_amount_of_1e30_is_a_400_that_changes_nothing(
    api: Client, container: Container, mailbox: Mailbox, settings: Settings, paytm_sim_control: SimControl
) -> None:
    customer = await new_customer(api, container, mailbox)
    order_id = await customer.order()
    started = (await customer.initiate(order_id, "PAYTM")).json()["data"]
    fields = {
        "MID": PAYTM_MID,
        "ORDERID": started["payment_data"]["order_id"],
        "TXNID": "20260101111212800110168",
        "TXNAMOUNT": "1e30",
        "STATUS": "TXN_SUCCESS",
        "RESPCODE": "01",
        "RESPMSG": "Txn Success",
        "CURRENCY": "INR",
    }
    for amount in ("1e30", "NaN", "1E+400"):
        fields["TXNAMOUNT"] = amount
        signed = {**fields, "CHECKSUMHASH": paytm_checksum.generate(fields, PAYTM_KEY)}
        response = await api.post(
            PAYTM_CALLBACK, data=signed, headers={"content-type": "application/x-www-form-urlencoded"}
        )
        refused(response, 400, "PAY_400")

    assert await notifications(settings) == 0
    assert await paytm_sim_control.requests("status") == []  # nothing was believed enough to ask about
    status = (await customer.get(f"/payments/status/{order_id}/")).json()["data"]
    assert status["status"] == "PENDING"


async def test_an_oversized_paytm_form_is_a_400(api: Client, settings: Settings) -> None:
    response = await api.post(
        PAYTM_CALLBACK,
        content=b"&".join(b"F%d=x" % i for i in range(5000)),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    refused(response, 400, "PAY_400")
    assert await notifications(settings) == 0
