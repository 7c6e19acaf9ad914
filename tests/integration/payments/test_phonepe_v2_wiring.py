"""Choosing PhonePe v1 or v2 from the settings, the start-up checks, and the operator commands on v2."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from s2cart.adapters.payments.phonepe import PhonePeGateway
from s2cart.adapters.payments.phonepe_v2 import PhonePeV2Gateway
from s2cart.domain.payments.payment import PaymentState
from s2cart.entrypoints.cli.simulator import build_simulators
from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.settings import Settings, SettingsError
from tests.integration.payments.shop import Shop
from tests.integration.payments.test_payment_cli import s2cart
from tests.integration.payments.test_wiring import PHONEPE_ENV, PROD_ENV, settings_from
from tests.integration.payments.vectors import (
    PHONEPE_SALT_KEY,
    PHONEPE_V2_CLIENT_ID,
    PHONEPE_V2_CLIENT_SECRET,
    PHONEPE_V2_WEBHOOK_PASSWORD,
    PHONEPE_V2_WEBHOOK_USERNAME,
)

V2_ENV = {
    "S2CART_PHONEPE_CLIENT_ID": PHONEPE_V2_CLIENT_ID,
    "S2CART_PHONEPE_CLIENT_SECRET": PHONEPE_V2_CLIENT_SECRET,
    "S2CART_PHONEPE_WEBHOOK_USERNAME": PHONEPE_V2_WEBHOOK_USERNAME,
    "S2CART_PHONEPE_WEBHOOK_PASSWORD": PHONEPE_V2_WEBHOOK_PASSWORD,
}
PROD_TOKEN_URL = "https://api.phonepe.com/apis/identity-manager/v1/oauth/token"


def test_a_client_id_selects_v2_and_a_salt_key_v1(tmp_path: Path) -> None:
    v2 = settings_from(tmp_path, **V2_ENV)
    v1 = settings_from(tmp_path, **PHONEPE_ENV)

    assert (v2.phonepe_v2, v2.phonepe_enabled, v1.phonepe_v2, v1.phonepe_enabled) == (True, True, False, True)
    assert isinstance(build_container(v2).payment_gateways()["PHONEPE"], PhonePeV2Gateway)
    assert isinstance(build_container(v1).payment_gateways()["PHONEPE"], PhonePeGateway)
    assert v2.phonepe_client_version == "1"
    assert v2.phonepe_token_endpoint == "https://api-preprod.phonepe.com/apis/pg-sandbox/v1/oauth/token"


def test_both_protocols_configured_is_a_start_up_error_naming_both(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"S2CART_PHONEPE_CLIENT_ID .*S2CART_PHONEPE_SALT_KEY"):
        settings_from(tmp_path, **V2_ENV, **PHONEPE_ENV)


@pytest.mark.parametrize("missing", sorted(set(V2_ENV) - {"S2CART_PHONEPE_CLIENT_ID"}))
def test_v2_half_configured_names_what_is_missing(tmp_path: Path, missing: str) -> None:
    with pytest.raises(SettingsError, match=missing):
        settings_from(tmp_path, **{k: v for k, v in V2_ENV.items() if k != missing})


@pytest.mark.parametrize(
    "environ",
    [
        {"S2CART_PHONEPE_CLIENT_SECRET": PHONEPE_V2_CLIENT_SECRET},  # v2 pieces without a client id
        {"S2CART_PHONEPE_TOKEN_URL": PROD_TOKEN_URL},
        {**V2_ENV, "S2CART_PHONEPE_BASE_URL": "https://api.phonepe.com/apis/pg"},  # production needs its token URL
        {**PROD_ENV, **V2_ENV, "S2CART_PHONEPE_BASE_URL": "https://api.phonepe.com/apis/pg",
         "S2CART_PHONEPE_TOKEN_URL": "http://api.phonepe.com/apis/identity-manager/v1/oauth/token"},
        {**V2_ENV, "S2CART_PHONEPE_TOKEN_URL": "api.phonepe.com/token"},
    ],
)  # fmt: skip
def test_unusable_v2_settings_refuse_to_start(tmp_path: Path, environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="S2CART_PHONEPE_"):
        settings_from(tmp_path, **environ)


def test_production_v2_with_its_token_url_starts(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        **PROD_ENV,
        **V2_ENV,
        S2CART_PHONEPE_BASE_URL="https://api.phonepe.com/apis/pg",
        S2CART_PHONEPE_TOKEN_URL=PROD_TOKEN_URL,
        S2CART_PHONEPE_CLIENT_VERSION="3",
    )
    gateway = build_container(settings).payment_gateways()["PHONEPE"]
    assert isinstance(gateway, PhonePeV2Gateway)
    assert (settings.phonepe_token_endpoint, settings.phonepe_client_version) == (PROD_TOKEN_URL, "3")


def test_repr_hides_the_v2_secrets(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, **V2_ENV)
    gateway = build_container(settings).payment_gateways()["PHONEPE"]
    texts = [repr(settings), str(settings), repr(gateway), repr(vars(gateway)), repr(vars(gateway.tokens))]
    for text in texts:
        assert PHONEPE_V2_CLIENT_SECRET not in text and PHONEPE_V2_WEBHOOK_PASSWORD not in text, text


def test_gateways_env_gives_a_v2_simulator_setup_that_starts(tmp_path: Path) -> None:
    fresh = {k: v for k, v in os.environ.items() if not k.startswith("S2CART_")}
    url = "http://127.0.0.1:9100"
    printed = subprocess.run(
        [sys.executable, "-m", "s2cart.entrypoints.cli", "gateways", "env", "--url", url],
        env=fresh,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    exported = dict(shlex.split(line.removeprefix("export "))[0].split("=", 1) for line in printed.splitlines())

    assert "S2CART_PHONEPE_SALT_KEY" not in exported and PHONEPE_SALT_KEY not in printed  # v2 by default
    settings = settings_from(tmp_path, **exported)
    assert (settings.phonepe_v2, settings.phonepe_base_url, settings.paytm_enabled) == (True, url, True)
    [simulator] = build_simulators("phonepe", Settings.from_env({**exported, "S2CART_PUBLIC_BASE_URL": "http://shop"}))
    assert simulator.v2 is not None  # type: ignore[attr-defined]
    credentials = simulator.v2.credentials  # type: ignore[attr-defined]
    assert (credentials.client_id, credentials.webhook_username) == (
        exported["S2CART_PHONEPE_CLIENT_ID"],
        exported["S2CART_PHONEPE_WEBHOOK_USERNAME"],
    )
    assert credentials.webhook_url == "http://shop/api/auth/payments/phonepe/callback/"


async def test_settle_then_reconcile_a_v2_payment_from_the_command_line(
    shop_v2: Shop, gateway_url: str, database_url: str
) -> None:
    user = await shop_v2.add_user("asha")
    order_id = await shop_v2.add_order(user)
    started = await shop_v2.initiate()(user, order_id, "PHONEPE")
    gateway_id = started.payment_data.gateway_order_id

    settled = s2cart(
        "gateways", "settle", "--url", gateway_url, "--gateway", "phonepe", "--order", gateway_id,
        "--outcome", "success", "--no-callback",
    )  # fmt: skip
    assert settled.returncode == 0, settled.stderr
    assert f"phonepe {gateway_id}: SUCCESS" in settled.stdout
    assert (await shop_v2.payments(order_id))[0].status is PaymentState.PENDING

    v2_env = {**V2_ENV, "S2CART_PHONEPE_BASE_URL": gateway_url}
    # A real process: reconcile installs signal handlers, which only the main thread may do.
    reconciled = s2cart("payments", "reconcile", process=True, S2CART_DATABASE_URL=database_url, **v2_env)

    assert reconciled.returncode == 0, reconciled.stderr
    assert "checked 1: captured 1" in reconciled.stderr  # a log line (JSON in JSON mode), not output
    assert (await shop_v2.payments(order_id))[0].status is PaymentState.COMPLETED
    assert PHONEPE_V2_CLIENT_SECRET not in reconciled.stdout + reconciled.stderr
