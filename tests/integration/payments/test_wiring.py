"""Gateway settings, container wiring and the ``s2cart simulator`` command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from s2cart.adapters.payments.paytm import PaytmGateway
from s2cart.adapters.payments.phonepe import PhonePeGateway
from s2cart.application.ports.payments import InitiateRequest
from s2cart.domain.payments.facts import GatewayState
from s2cart.entrypoints.cli.simulator import build_simulators
from s2cart.entrypoints.container import build_container, close_resources
from s2cart.entrypoints.settings import Settings, SettingsError
from tests.integration.payments.vectors import (
    PAYTM_KEY,
    PAYTM_MID,
    PHONEPE_MERCHANT_ID,
    PHONEPE_SALT_KEY,
)

PAYTM_ENV = {"S2CART_PAYTM_MID": PAYTM_MID, "S2CART_PAYTM_MERCHANT_KEY": PAYTM_KEY}
PHONEPE_ENV = {"S2CART_PHONEPE_MERCHANT_ID": PHONEPE_MERCHANT_ID, "S2CART_PHONEPE_SALT_KEY": PHONEPE_SALT_KEY}
PROD_ENV = {
    "S2CART_ENV": "prod",
    "S2CART_JWT_SECRET": "k" * 48,
    "S2CART_PUBLIC_BASE_URL": "https://s2cart.in",
    "S2CART_SMTP_HOST": "smtp.s2cart.in",
}


def settings_from(tmp_path: Path, **environ: str) -> Settings:
    return Settings.from_env({"S2CART_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/s.db", **environ})


def test_gateways_without_credentials_are_disabled(tmp_path: Path) -> None:
    settings = settings_from(tmp_path)
    assert (settings.paytm_enabled, settings.phonepe_enabled) == (False, False)
    assert build_container(settings).payment_gateways() == {}


def test_only_gateways_with_credentials_are_offered(tmp_path: Path) -> None:
    only_paytm = build_container(settings_from(tmp_path, **PAYTM_ENV)).payment_gateways()
    both = build_container(settings_from(tmp_path, **PAYTM_ENV, **PHONEPE_ENV)).payment_gateways()
    assert list(only_paytm) == ["PAYTM"]
    assert isinstance(only_paytm["PAYTM"], PaytmGateway)
    assert sorted(both) == ["PAYTM", "PHONEPE"]
    assert isinstance(both["PHONEPE"], PhonePeGateway)


def test_values_are_read_from_the_environment(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        **PHONEPE_ENV,
        S2CART_PHONEPE_SALT_INDEX="2",
        S2CART_PHONEPE_BASE_URL="http://127.0.0.1:9100",
        S2CART_PAYTM_WEBSITE="DEFAULT",
    )
    assert (settings.phonepe_salt_index, settings.phonepe_base_url) == (2, "http://127.0.0.1:9100")
    assert settings.paytm_website == "DEFAULT"


@pytest.mark.parametrize(
    "environ",
    [
        {"S2CART_PAYTM_MID": PAYTM_MID},  # half-set: a typo must not silently disable the gateway
        {"S2CART_PHONEPE_SALT_KEY": PHONEPE_SALT_KEY},
        {**PAYTM_ENV, "S2CART_PAYTM_MERCHANT_KEY": "fifteen-chars!!"},
        {**PHONEPE_ENV, "S2CART_PHONEPE_SALT_INDEX": "0"},
        {"S2CART_PHONEPE_SALT_INDEX": "one"},
        {"S2CART_PAYTM_BASE_URL": "securegw.paytm.in"},
        {**PROD_ENV, **PAYTM_ENV, "S2CART_PAYTM_BASE_URL": "http://127.0.0.1:9100"},
        {**PROD_ENV, **PHONEPE_ENV, "S2CART_PHONEPE_BASE_URL": "https://localhost:9100"},
        {**PROD_ENV, **PHONEPE_ENV, "S2CART_PHONEPE_BASE_URL": "https://10.0.0.5/apis/hermes"},
        {**PROD_ENV, **PHONEPE_ENV, "S2CART_PHONEPE_BASE_URL": "http://api.phonepe.com/apis/hermes"},
    ],
)
def test_unusable_or_unsafe_gateway_settings_refuse_to_start(tmp_path: Path, environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="S2CART_P"):
        settings_from(tmp_path, **environ)


def test_prod_accepts_real_gateways_and_a_simulator_only_when_allowed(tmp_path: Path) -> None:
    real = settings_from(tmp_path, **PROD_ENV, **PAYTM_ENV, S2CART_PAYTM_BASE_URL="https://securegw.paytm.in")
    simulated = settings_from(
        tmp_path,
        **PROD_ENV,
        **PAYTM_ENV,
        S2CART_PAYTM_BASE_URL="http://127.0.0.1:9100",
        S2CART_PAYMENT_ALLOW_LOCAL_GATEWAYS="true",
    )
    disabled = settings_from(tmp_path, **PROD_ENV, S2CART_PHONEPE_BASE_URL="http://127.0.0.1:9100")
    assert (real.paytm_enabled, simulated.paytm_enabled, disabled.phonepe_enabled) == (True, True, False)


def test_repr_hides_gateway_secrets(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, **PAYTM_ENV, **PHONEPE_ENV)
    text = repr(settings) + str(settings)
    assert PAYTM_KEY not in text
    assert PHONEPE_SALT_KEY not in text
    assert PHONEPE_SALT_KEY not in repr(build_container(settings).phonepe())


async def test_the_wired_gateway_talks_to_the_simulator(
    tmp_path: Path, gateway_url: str, control_client: httpx.AsyncClient
) -> None:
    settings = settings_from(tmp_path, **PHONEPE_ENV, S2CART_PHONEPE_BASE_URL=gateway_url)
    container = build_container(settings)
    gateway = container.payment_gateways()["PHONEPE"]
    assert gateway is container.payment_gateways()["PHONEPE"]  # one gateway, one pooled client
    result = await gateway.initiate(
        InitiateRequest("TXN_WIRED_1", Decimal("10.00"), "USER_1", "http://127.0.0.1:9/cb", "http://x/r")
    )
    assert result.state is GatewayState.SUCCESS
    http = container.phonepe_http()
    await close_resources(container)
    assert http.is_closed
    assert container.phonepe_http() is not http  # a reused container starts a fresh client


def test_the_simulator_command_uses_s2carts_credentials_or_test_ones(tmp_path: Path) -> None:
    configured = build_simulators("all", settings_from(tmp_path, **PAYTM_ENV, S2CART_PAYTM_WEBSITE="DEFAULT"))
    fallback = build_simulators("phonepe", settings_from(tmp_path))
    assert [s.name for s in configured] == ["paytm", "phonepe"]
    assert configured[0].merchant == PAYTM_MID
    assert [s.merchant for s in fallback] == [PHONEPE_MERCHANT_ID]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_s2cart_simulator_serves_over_http(tmp_path: Path) -> None:
    port = free_port()
    environ = {**os.environ, "S2CART_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/s.db", **PAYTM_ENV}
    command = [sys.executable, "-m", "s2cart.entrypoints.cli", "simulator", "paytm", "--port", str(port)]
    process = subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                reply = httpx.post(f"http://127.0.0.1:{port}/_sim/reset", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the simulator did not start"
                assert process.poll() is None, "the simulator exited"
                time.sleep(0.1)
        assert reply.json() == {"status": "reset"}
        assert httpx.get(f"http://127.0.0.1:{port}/_sim/phonepe/requests", timeout=1).status_code == 404
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert f"merchant {PAYTM_MID}" in output
    assert PAYTM_KEY not in output
