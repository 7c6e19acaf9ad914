"""The reconciler runs in a process of its own: ``--metrics-port`` is how its counters are observed."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from s2cart.domain.payments.payment import PaymentState
from tests.integration.http.test_observability import sample
from tests.integration.payments.conftest import SimControl
from tests.integration.payments.shop import Shop
from tests.integration.payments.test_wiring import free_port
from tests.integration.payments.vectors import PHONEPE_MERCHANT_ID, PHONEPE_SALT_INDEX, PHONEPE_SALT_KEY


def scrape_until_a_round(url: str, process: subprocess.Popen[str], deadline: float) -> str:
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            text = httpx.get(url, timeout=2).text
        except httpx.HTTPError:
            text = ""
        if sample(text, "s2cart_reconcile_runs_total") >= 1:
            return text
        time.sleep(0.1)
    raise AssertionError("the reconciler exposed no completed round")


async def test_a_long_running_reconciler_serves_its_rounds_and_settlements(
    shop: Shop, gateway_url: str, database_url: str, phonepe_sim_control: SimControl
) -> None:
    user = await shop.add_user("meera")
    order_id = await shop.add_order(user)
    started = await shop.initiate()(user, order_id, "PHONEPE")
    await phonepe_sim_control.pay(started.payment_data.gateway_order_id, deliver="none")  # the callback is lost
    port = free_port()
    environ = {
        **os.environ,
        "S2CART_DATABASE_URL": database_url,
        "S2CART_PHONEPE_MERCHANT_ID": PHONEPE_MERCHANT_ID,
        "S2CART_PHONEPE_SALT_KEY": PHONEPE_SALT_KEY,
        "S2CART_PHONEPE_SALT_INDEX": str(PHONEPE_SALT_INDEX),
        "S2CART_PHONEPE_BASE_URL": gateway_url,
    }
    environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [sys.executable, "-m", "s2cart.entrypoints.cli", "payments", "reconcile", "--every", "0.2"]
    process = subprocess.Popen(  # noqa: ASYNC220 - the test waits on the child's HTTP port, not on the loop
        [*command, "--metrics-port", str(port)], env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        text = scrape_until_a_round(f"http://127.0.0.1:{port}/metrics", process, time.monotonic() + 30)
    finally:
        process.terminate()  # what systemd's stop sends: the round in progress ends, then the process
        process.communicate(timeout=30)

    assert process.returncode == 0
    assert sample(text, "s2cart_payments_total", gateway="PHONEPE", status="COMPLETED") == 1
    assert sample(text, "s2cart_gateway_request_duration_seconds_count", gateway="PHONEPE", operation="status") >= 1
    assert sample(text, "s2cart_reconcile_last_run_timestamp_seconds") > time.time() - 60
    [payment] = await shop.payments(order_id)
    assert payment.status is PaymentState.COMPLETED
