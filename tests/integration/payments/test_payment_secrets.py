"""Payments with every log line and every answer captured: no key, checksum, card number, CVV or card
token may appear in any of them (the approach of tests/integration/http/test_secrets_stay_secret.py)."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import text

from s2cart.entrypoints.container import Container
from s2cart.entrypoints.logs import JsonFormatter, RedactingFormatter
from tests.integration.http.accounts import Client
from tests.integration.mailbox import Mailbox
from tests.integration.payments.bridge import Bridge
from tests.integration.payments.conftest import SimControl
from tests.integration.payments.test_payment_api import in_app, new_customer
from tests.integration.payments.vectors import PAYTM_KEY, PHONEPE_SALT_KEY

CARD_NUMBER = "4111111111111111"
CVV = "9731"
TOKEN = "tok_visa_Zq8xW3kP0dLm"


async def test_no_payment_secret_reaches_a_log_line_or_an_answer(
    api: Client,
    container: Container,
    mailbox: Mailbox,
    bridge: Bridge,
    paytm_sim_control: SimControl,
    phonepe_sim_control: SimControl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    customer = await new_customer(api, container, mailbox)
    answers: list[bytes] = []

    for method, control in (("PAYTM", paytm_sim_control), ("PHONEPE", phonepe_sim_control)):
        order_id = await customer.order()
        started = await customer.initiate(order_id, method)
        answers.append(started.content)
        gateway_id = started.json()["data"]["payment_data"]["order_id"]
        await control.pay(gateway_id, tamper_signature=True)
        await control.pay(gateway_id)
        answers.append((await customer.get(f"/payments/status/{order_id}/")).content)
    answers.append((await customer.get("/payments/history/")).content)

    card = {
        "card_type": "VISA",
        "last_four": "1111",
        "expiry_month": "12",
        "expiry_year": "2031",
        "card_holder_name": "John Doe",
        "gateway_token": TOKEN,
    }
    for body in (
        card,
        {**card, "cvv": CVV},
        {**card, "card_number": CARD_NUMBER},
        {**card, "card_nickname": CARD_NUMBER},
    ):
        response = await api.post("/api/auth/payment-methods/cards/", headers=customer.headers, json=body)
        answers.append(response.content)
        assert response.status_code == (201 if body is card else 400), response.text
    answers.append((await customer.get("/payment-methods/cards/")).content)

    secrets = [PAYTM_KEY, PHONEPE_SALT_KEY, CARD_NUMBER, f'"{CVV}"', f"={CVV}", TOKEN]
    for delivery in bridge.deliveries:
        fields = dict(parse_qsl(delivery.body.decode(), keep_blank_values=True))
        secrets += [fields[k] for k in ("CHECKSUMHASH",) if k in fields]
        secrets += [delivery.headers[k] for k in ("x-verify",) if k in delivery.headers]

    async def sealed() -> list[str]:
        async with container.engine().connect() as connection:
            return list((await connection.execute(text("SELECT sealed_token FROM saved_cards"))).scalars())

    stored = await in_app(api, sealed)
    assert len(stored) == 1 and TOKEN not in stored[0]
    secrets += stored
    assert len(secrets) > 8, "the flow produced no checksums: the test would prove nothing"

    for answer in answers:
        for secret in secrets:
            assert secret.encode() not in answer, f"secret in an answer: {answer[:200]!r}"
    records = [r for r in caplog.records if not r.name.startswith("mail.log")]
    assert any(r.name.startswith("s2cart.payments") for r in records)
    for formatter in (RedactingFormatter("%(message)s"), JsonFormatter()):
        for record in records:
            line = formatter.format(record)
            for secret in secrets:
                assert secret not in line, f"secret leaked in {record.name}: {line[:200]}"
