from __future__ import annotations

from decimal import Decimal

import pytest

from s2cart.application.catalog import search_rankings
from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.settings import DEV_JWT_SECRET, Settings, SettingsError


def test_defaults_are_a_local_sqlite_dev_service() -> None:
    settings = Settings.from_env({})
    assert settings.env == "dev"
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.rate_limit_enabled is True
    assert settings.max_body_bytes == 1024 * 1024


def test_values_are_parsed_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "S2CART_RATE_LIMIT_ENABLED": "false",
            "S2CART_SMTP_PORT": "2525",
            "S2CART_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16",
            "S2CART_LOG_FORMAT": "json",
        }
    )
    assert settings.rate_limit_enabled is False
    assert settings.smtp_port == 2525
    assert settings.trusted_proxies == ("10.0.0.1", "192.168.0.0/16")
    assert settings.log_format == "json"


@pytest.mark.parametrize(
    "environ",
    [
        {"S2CART_SMTP_PORT": "twenty"},
        {"S2CART_RATE_LIMIT_ENABLED": "maybe"},
        {"S2CART_LOG_FORMAT": "xml"},
        {"S2CART_TRUSTED_PROXIES": "not-an-ip"},
        {"S2CART_ENV": "prod"},
        {"S2CART_ENV": "prod", "S2CART_JWT_SECRET": DEV_JWT_SECRET},
        {"S2CART_ENV": "prod", "S2CART_JWT_SECRET": "x" * 40, "S2CART_PUBLIC_BASE_URL": "http://insecure"},
        {"S2CART_ENV": "prod", "S2CART_JWT_SECRET": "x" * 40, "S2CART_PUBLIC_BASE_URL": "https://s2cart.in"},
        {"S2CART_JWT_ALGORITHM": "RS256"},
        {"S2CART_ARGON2_MEMORY_KIB": "4"},
        {"S2CART_ARGON2_THREAD_NICE": "20"},
        {"S2CART_ARGON2_THREAD_NICE": "-1"},
        {"S2CART_OUTBOX_INTERVAL_SECONDS": "soon"},
        {"S2CART_IDEMPOTENCY_LEASE_SECONDS": "0"},
        {"S2CART_IDEMPOTENCY_LEASE_SECONDS": "3601"},
        {"S2CART_GATEWAY_DEADLINE_SECONDS": "-1"},
        {"S2CART_GATEWAY_DEADLINE_SECONDS": "600"},
    ],
)
def test_bad_or_unsafe_values_refuse_to_start(environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError):
        Settings.from_env(environ)


def test_prod_starts_with_real_secrets() -> None:
    settings = Settings.from_env(
        {
            "S2CART_ENV": "prod",
            "S2CART_JWT_SECRET": "k" * 48,
            "S2CART_PUBLIC_BASE_URL": "https://s2cart.in",
            "S2CART_SMTP_HOST": "smtp.s2cart.in",
        }
    )
    assert settings.env == "prod"


def test_repr_hides_credentials() -> None:
    settings = Settings.from_env(
        {"S2CART_DATABASE_URL": "postgresql+psycopg://app:hunter2@db/s2cart", "S2CART_JWT_SECRET": "s" * 40}
    )
    assert "hunter2" not in repr(settings)
    assert "s" * 40 not in repr(settings)


def test_the_gateway_deadline_is_a_few_seconds_by_default_and_zero_turns_it_off() -> None:
    assert Settings.from_env({}).gateway_deadline_seconds == 5.0
    assert (
        build_container(Settings.from_env({"S2CART_GATEWAY_DEADLINE_SECONDS": "2.5"})).gateway_deadline().seconds == 2.5
    )
    assert (
        build_container(Settings.from_env({"S2CART_GATEWAY_DEADLINE_SECONDS": "0"})).gateway_deadline().seconds is None
    )


def test_the_tax_mode_is_the_contract_unless_gst_is_asked_for() -> None:
    assert Settings.from_env({}).tax_mode == "contract"
    assert Settings.from_env({"S2CART_TAX_MODE": " GST "}).tax_mode == "gst"
    with pytest.raises(SettingsError, match="S2CART_TAX_MODE"):
        Settings.from_env({"S2CART_TAX_MODE": "vat"})
    container = build_container(Settings.from_env({"S2CART_TAX_MODE": "gst", "S2CART_TAX_RATE": "0.12"}))
    policy = container.pricing_policy()
    assert (policy.tax_mode.value, policy.default_gst_rate) == ("gst", Decimal("12.00"))


def test_the_search_rankings_budget_by_default_is_the_one_its_use_case_is_measured_with() -> None:
    # settings.py imports nothing of the application, so the 4 MiB is written twice: this keeps the two equal.
    assert Settings.from_env({}).search_rankings_bytes == search_rankings.MAX_BYTES == 4 * 1024 * 1024
