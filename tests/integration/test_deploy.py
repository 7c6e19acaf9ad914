"""The deploy/ examples stay in step with the settings and with each other."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import msgspec

from s2cart.entrypoints.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _env_example(*, commented: bool = True) -> dict[str, str]:
    pattern = r"#?\s*(S2CART_[A-Z0-9_]+)=(.*)" if commented else r"(S2CART_[A-Z0-9_]+)=(.*)"
    values = {}
    for line in (DEPLOY / "s2cart.env.example").read_text().splitlines():
        match = re.fullmatch(pattern, line.strip())
        if match:
            values[match.group(1)] = match.group(2)
    return values


def test_the_example_environment_names_every_setting_and_nothing_else() -> None:
    expected = {f"S2CART_{field.name.upper()}" for field in msgspec.structs.fields(Settings)}
    assert set(_env_example()) == expected


def test_the_example_environment_starts_in_prod() -> None:
    settings = Settings.from_env(_env_example(commented=False))
    assert settings.env == "prod" and settings.log_format == "json" and settings.rate_limit_enabled


def test_nginx_forwards_from_an_address_s2cart_trusts() -> None:
    conf = (DEPLOY / "nginx" / "s2cart.conf").read_text()
    upstream = re.search(r"server (\d+\.\d+\.\d+\.\d+):(\d+);", conf)
    assert upstream is not None
    trusted = [ipaddress.ip_network(p) for p in _env_example()["S2CART_TRUSTED_PROXIES"].split(",")]
    # nginx reaches S2Cart over loopback, so the peer S2Cart sees is nginx's loopback address.
    assert upstream.group(1) == "127.0.0.1" and any(ipaddress.ip_address("127.0.0.1") in n for n in trusted)
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    unit = (DEPLOY / "s2cart.service").read_text()
    assert f"--port {upstream.group(2)}" in unit and "PROMETHEUS_MULTIPROC_DIR=/run/s2cart/metrics" in unit
