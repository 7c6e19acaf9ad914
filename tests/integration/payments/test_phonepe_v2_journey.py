"""The whole customer payment flow over HTTP with PhonePe on Standard Checkout v2 only (no salt key at all):
the app is configured as a new merchant would configure it, and PhonePe's webhook reaches the same callback
path the v1 callback uses."""

from __future__ import annotations

import pytest

from s2cart.adapters.payments.phonepe_v2 import PhonePeV2Gateway
from s2cart.entrypoints.container import Container
from s2cart.entrypoints.settings import Settings
from s2cart.simulators import signing
from tests.integration.http.accounts import Client
from tests.integration.mailbox import Mailbox
from tests.integration.payments.bridge import Bridge
from tests.integration.payments.conftest import PHONEPE_V2_SETTINGS, PHONEPE_WEBHOOK_PATH, SimControl, gateway_settings
from tests.integration.payments.test_payment_api import in_app, new_customer
from tests.integration.payments.test_payment_journey import customer_journey_paying_with_phonepe
from tests.integration.payments.vectors import PHONEPE_V2_WEBHOOK_PASSWORD, PHONEPE_V2_WEBHOOK_USERNAME


@pytest.fixture
def settings(database_url: str, smtp_server: Mailbox, gateway_url: str, bridge_server: Bridge) -> Settings:
    configured = gateway_settings(database_url, smtp_server, bridge_server, gateway_url, **PHONEPE_V2_SETTINGS)
    assert configured.phonepe_v2 and configured.phonepe_salt_key is None
    return configured


async def test_the_whole_customer_flow_pays_with_phonepe_v2(
    api: Client, container: Container, mailbox: Mailbox, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    assert isinstance(container.payment_gateways()["PHONEPE"], PhonePeV2Gateway)

    await customer_journey_paying_with_phonepe(api, container, mailbox, phonepe_sim_control, bridge)

    [delivery] = bridge.deliveries
    assert delivery.headers["authorization"] == signing.webhook_authorization(
        PHONEPE_V2_WEBHOOK_USERNAME, PHONEPE_V2_WEBHOOK_PASSWORD
    )
    assert (await phonepe_sim_control.requests("status"))[0]["path"].startswith("/checkout/v2/order/")
    assert len(await phonepe_sim_control.requests("token")) == 1


async def test_a_webhook_with_a_wrong_authorization_is_a_401_in_the_contract_envelope(
    api: Client, container: Container, mailbox: Mailbox, phonepe_sim_control: SimControl, bridge: Bridge
) -> None:
    customer = await new_customer(api, container, mailbox)
    order_id = await customer.order()
    started = await customer.initiate(order_id, "PHONEPE")
    gateway_id = started.json()["data"]["payment_data"]["order_id"]

    await phonepe_sim_control.pay(gateway_id, tamper_signature=True)
    refused = await api.post(PHONEPE_WEBHOOK_PATH, content=b"{broken", headers={"Authorization": "0" * 64})

    assert [d.status for d in bridge.deliveries] == [401]
    assert (refused.status_code, refused.json()["error_code"]) == (401, "PAY_401")
    status = (await customer.get(f"/payments/status/{order_id}/")).json()["data"]
    assert status["status"] == "PENDING"

    async def notifications() -> int:
        async with container.engine().connect() as connection:
            from sqlalchemy import text

            return int((await connection.execute(text("SELECT count(*) FROM payment_notifications"))).scalar_one())

    assert await in_app(api, notifications) == 0
