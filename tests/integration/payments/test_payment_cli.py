"""``s2cart payments reconcile`` and ``s2cart gateways simulate|settle|env`` as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from s2cart.domain.payments.payment import PaymentState
from s2cart.entrypoints.cli.payments import _simulator_url
from s2cart.entrypoints.settings import Settings
from tests.integration.cli_runner import run_cli
from tests.integration.payments.conftest import SimControl
from tests.integration.payments.shop import Shop
from tests.integration.payments.test_wiring import free_port
from tests.integration.payments.vectors import (
    PAYTM_KEY,
    PAYTM_MID,
    PHONEPE_MERCHANT_ID,
    PHONEPE_SALT_INDEX,
    PHONEPE_SALT_KEY,
)


def s2cart(*args: str, process: bool = False, **environ: str) -> subprocess.CompletedProcess[str]:
    """``s2cart *args`` with ``environ`` added to this environment: in-process, or the real script (process)."""
    return run_cli(args, {**os.environ, **environ}, process=process)


async def test_settle_then_reconcile_from_the_command_line(shop: Shop, gateway_url: str, database_url: str) -> None:
    user = await shop.add_user("asha")
    order_id = await shop.add_order(user)
    started = await shop.initiate()(user, order_id, "PHONEPE")
    gateway_id = started.payment_data.gateway_order_id

    settled = s2cart(
        "gateways", "settle", "--url", gateway_url, "--gateway", "phonepe", "--order", gateway_id,
        "--outcome", "success", "--no-callback", process=True,
    )  # fmt: skip
    assert settled.returncode == 0, settled.stderr
    assert f"phonepe {gateway_id}: SUCCESS" in settled.stdout
    assert (await shop.payments(order_id))[0].status is PaymentState.PENDING  # nobody told S2Cart yet

    reconciled = s2cart(
        "payments",
        "reconcile",
        process=True,
        S2CART_DATABASE_URL=database_url,
        S2CART_PHONEPE_MERCHANT_ID=PHONEPE_MERCHANT_ID,
        S2CART_PHONEPE_SALT_KEY=PHONEPE_SALT_KEY,
        S2CART_PHONEPE_SALT_INDEX=str(PHONEPE_SALT_INDEX),
        S2CART_PHONEPE_BASE_URL=gateway_url,
    )

    assert reconciled.returncode == 0, reconciled.stderr
    assert "checked 1: captured 1" in reconciled.stderr  # a log line (JSON in JSON mode), not output
    [payment] = await shop.payments(order_id)
    assert payment.status is PaymentState.COMPLETED
    assert PHONEPE_SALT_KEY not in reconciled.stdout + reconciled.stderr


async def test_an_operators_cancellation_from_the_command_line_asks_for_the_refund(
    shop: Shop, gateway_url: str, database_url: str, paytm_sim_control: SimControl
) -> None:
    user = await shop.add_user("ravi")
    order_id = await shop.add_order(user)
    started = await shop.initiate()(user, order_id, "PAYTM")
    await paytm_sim_control.pay(started.payment_data.gateway_order_id)  # the callback reaches the shop
    assert (await shop.payments(order_id))[0].status is PaymentState.COMPLETED
    order = await shop.order(user, order_id)

    cancelled = s2cart(
        "orders",
        "set-status",
        order.order_number,
        "CANCELLED",
        S2CART_DATABASE_URL=database_url,
        S2CART_PAYTM_MID=PAYTM_MID,
        S2CART_PAYTM_MERCHANT_KEY=PAYTM_KEY,
        S2CART_PAYTM_BASE_URL=gateway_url,
    )

    assert cancelled.returncode == 0, cancelled.stderr
    assert "status=CANCELLED" in cancelled.stdout
    assert len(await paytm_sim_control.requests("refund")) == 1  # asked at once, like a customer's cancel
    [payment] = await shop.payments(order_id)
    assert (payment.status, payment.refund_id is not None) == (PaymentState.REFUND_PENDING, True)
    assert (await shop.reconcile()()).refunds_requested == 0  # nothing left for the reconciler to ask
    assert PAYTM_KEY not in cancelled.stdout + cancelled.stderr


async def test_settle_refuses_an_unknown_attempt(gateway_url: str, control_client: httpx.AsyncClient) -> None:
    result = s2cart(
        "gateways", "settle", "--url", gateway_url, "--gateway", "paytm", "--order", "ORD_NOPE", "--outcome", "failure"
    )
    assert result.returncode == 1
    assert "unknown order" in result.stderr


async def test_settle_finds_the_simulator_at_the_chosen_gateways_configured_base_url(
    shop: Shop, gateway_url: str
) -> None:
    """``make run SIM_PORT=...`` exports the base URLs (``gateways env``); settle must follow them, not port 9100."""
    user = await shop.add_user("ravi")
    order_id = await shop.add_order(user)
    started = await shop.initiate()(user, order_id, "PHONEPE")
    gateway_id = started.payment_data.gateway_order_id
    dead = f"http://127.0.0.1:{free_port()}"
    environ = {"S2CART_PHONEPE_BASE_URL": gateway_url, "S2CART_PAYTM_BASE_URL": dead}

    settled = s2cart(
        "gateways", "settle", "--gateway", "phonepe", "--order", gateway_id, "--outcome", "success", "--no-callback",
        **environ,
    )  # fmt: skip
    assert settled.returncode == 0, settled.stderr
    assert f"phonepe {gateway_id}: SUCCESS" in settled.stdout

    other = s2cart("gateways", "settle", "--gateway", "paytm", "--order", "ORD_X", "--outcome", "success", **environ)
    assert other.returncode == 1
    assert f"the simulator at {dead} did not answer" in other.stderr  # paytm's own setting, not phonepe's


def test_settle_without_a_configured_simulator_falls_back_to_the_default_port() -> None:
    # The built-in base URL is PhonePe's real sandbox, which has no /_sim/ routes: never aimed at it.
    assert _simulator_url("phonepe", Settings()) == "http://127.0.0.1:9100"
    assert _simulator_url("paytm", Settings()) == "http://127.0.0.1:9100"
    configured = Settings(paytm_base_url="http://127.0.0.1:9131")
    assert _simulator_url("paytm", configured) == "http://127.0.0.1:9131"
    assert _simulator_url("phonepe", configured) == "http://127.0.0.1:9100"


def test_gateways_env_points_at_a_simulator_without_overriding_real_credentials() -> None:
    fresh = {k: v for k, v in os.environ.items() if not k.startswith("S2CART_")}
    url = "http://127.0.0.1:9100"
    printed = subprocess.run(
        [sys.executable, "-m", "s2cart.entrypoints.cli", "gateways", "env", "--url", url],
        env={**fresh, "S2CART_PAYTM_MID": PAYTM_MID, "S2CART_PAYTM_MERCHANT_KEY": PAYTM_KEY},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert f"export S2CART_PAYTM_BASE_URL={url}" in printed
    assert f"export S2CART_PHONEPE_BASE_URL={url}" in printed
    assert "export S2CART_PHONEPE_MERCHANT_ID=PGTESTPAYUAT" in printed
    assert "S2CART_PAYTM_MID" not in printed and PAYTM_KEY not in printed  # real settings are left alone


def test_gateways_simulate_serves_both_gateways() -> None:
    port = free_port()
    command = [sys.executable, "-m", "s2cart.entrypoints.cli", "gateways", "simulate", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.post(f"http://127.0.0.1:{port}/_sim/reset", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, "the simulator did not start"
                time.sleep(0.1)
        for gateway in ("paytm", "phonepe"):
            assert httpx.get(f"http://127.0.0.1:{port}/_sim/{gateway}/requests", timeout=1).json() == []
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "paytm simulator" in output and "phonepe simulator" in output
