from __future__ import annotations

import pytest

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
