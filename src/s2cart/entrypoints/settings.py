"""Settings: read once from the environment (prefix ``S2CART_``) into a frozen struct."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import msgspec

DEV_JWT_SECRET = "dev-only-insecure-jwt-secret-change-me-0123456789"


class SettingsError(ValueError):
    """The environment holds a value S2Cart cannot start with."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    env: Literal["dev", "test", "prod"] = "dev"
    database_url: str = ""
    database_pool_size: int = 10
    database_max_overflow: int = 0
    database_pre_ping: bool = True
    # The readers' own pool per worker and per database (decision 0044): connections in AUTOCOMMIT, not pinged.
    database_read_pool_size: int = 10
    # Times a use case is run again when PostgreSQL aborts its transaction for a deadlock or serialization
    # failure (decision 0023); 0 turns the retry off.
    database_conflict_retries: int = 3
    # Read replicas (decision 0042): comma-separated URLs of PostgreSQL standbys streaming from database_url.
    # Lag-tolerant readers (browsing, search, store pages, order and payment history) use them; writes and
    # deciding reads stay on the primary. Empty: every read goes to the primary.
    database_read_url: tuple[str, ...] = ()
    # A replica further behind than this is skipped until it catches up.
    database_read_max_lag_seconds: float = 5.0
    redis_url: str | None = None
    # Seconds a worker may answer "this session is alive" from memory; 0 turns the cache off. Needs Redis
    # (S2CART_RATE_LIMIT_STORAGE or S2CART_REDIS_URL): a logout advances an epoch there that all workers read.
    session_cache_seconds: int = 30
    # Seconds a worker may answer a product search (same words, filters, ordering and page) from memory: how stale
    # a listing's price, stock status or active flag may be. Never what a shopper pays. 0 turns the cache off.
    search_cache_seconds: int = 5
    # Bytes a worker may spend keeping product searches' ranked orders (their first 100 keys, checked against the
    # catalog's version on every use): a page the search cache misses is then read by key. 0 turns it off.
    search_rankings_bytes: int = 4 * 1024 * 1024  # search_rankings.MAX_BYTES (test_settings.py keeps them equal)
    jwt_secret: str = DEV_JWT_SECRET
    public_base_url: str = "http://127.0.0.1:8000"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "S2Cart <no-reply@s2cart.local>"
    rate_limit_enabled: bool = True
    rate_limit_storage: str = "memory://"
    rate_limit_multiplier: float = 1.0
    trusted_proxies: tuple[str, ...] = ()
    # Browser origins allowed to call the API (CORS): exact origins, 'scheme://host:*' for any port, or '*'.
    # Empty: no CORS headers at all (entrypoints/http/cors.py).
    cors_allowed_origins: tuple[str, ...] = ()
    log_level: str = "INFO"
    log_format: Literal["console", "json"] = "console"
    access_log: bool = True
    max_body_bytes: int = 1024 * 1024
    # Argon2id: OWASP's minimum (19 MiB, t=2, p=1) costs ~18 ms a hash here; the library default ~90 ms.
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19456
    argon2_parallelism: int = 1
    argon2_max_threads: int = 2
    # Hashing threads run at this nice value (Linux: per thread), so event loops win the CPU in a sign-in storm.
    argon2_thread_nice: int = 10
    # Unmap argon2's buffer after each hash (glibc mmap threshold) instead of keeping it in a thread arena. Off:
    # with one hashing thread a core (s2cart serve) a worker keeps one buffer, and re-faulting it cost sign-ins.
    argon2_release_memory: bool = False
    jwt_algorithm: Literal["HS256", "RS256", "EdDSA"] = "HS256"
    jwt_private_key_file: str | None = None
    jwt_public_key_file: str | None = None
    jwt_issuer: str = "s2cart"
    jwt_audience: str = "s2cart-api"
    refresh_reuse_grace_seconds: int = 10
    outbox_interval_seconds: float = 15.0
    # Seconds an Idempotency-Key stays held by a request that has not answered; after it a retry with the same
    # body takes the key over (the first worker is presumed dead). Longer than the slowest request should take.
    idempotency_lease_seconds: int = 30
    # "contract": the contract's one rate on the subtotal before discount; "gst": per product rate after the
    # discount, CGST + SGST or IGST by place of supply (decisions 0035, 0036).
    tax_mode: Literal["contract", "gst"] = "contract"
    tax_rate: Decimal = Decimal("0.18")
    shipping_fee: Decimal = Decimal("50.00")
    free_shipping_over: Decimal | None = None
    delivery_days: int = 5
    cart_max_quantity: int = 99
    # Payment gateways: a gateway is enabled when its credentials are set (both of them).
    paytm_mid: str | None = None
    paytm_merchant_key: str | None = None
    paytm_website: str = "WEBSTAGING"
    paytm_base_url: str = "https://securegw-stage.paytm.in"
    phonepe_merchant_id: str | None = None
    phonepe_salt_key: str | None = None
    phonepe_salt_index: int = 1
    phonepe_base_url: str = "https://api-preprod.phonepe.com/apis/pg-sandbox"
    # PhonePe Standard Checkout v2 (OAuth client credentials): used when a client id is set; the v1 salt key
    # then stays unset. Production serves the token from another host than the API: set the token URL there.
    phonepe_client_id: str | None = None
    phonepe_client_secret: str | None = None
    phonepe_client_version: str = "1"
    phonepe_token_url: str | None = None
    phonepe_webhook_username: str | None = None
    phonepe_webhook_password: str | None = None
    payment_allow_local_gateways: bool = False
    # What one customer request may spend waiting on gateways in all, retries included (0: no deadline).
    gateway_deadline_seconds: float = 5.0
    max_addresses: int = 20

    def __repr__(self) -> str:  # secrets never reach logs through a repr
        return f"Settings(env={self.env!r}, database={_redacted_url(self.database_url)!r})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        source = os.environ if environ is None else environ
        raw: dict[str, object] = {}
        for name, info in _FIELDS.items():
            value = source.get(f"S2CART_{name.upper()}")
            if value is None or value == "":
                continue
            raw[name] = _coerce(name, info, value)
        if "database_url" not in raw:
            raw["database_url"] = default_database_url()
        try:
            settings = msgspec.convert(raw, cls)
        except msgspec.ValidationError as exc:
            raise SettingsError(_named(str(exc))) from exc
        settings.check()
        return settings

    def check(self) -> None:
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError as exc:
                raise SettingsError(f"S2CART_TRUSTED_PROXIES: '{proxy}' is not an IP or network") from exc
        for origin in self.cors_allowed_origins:
            if origin != "*" and not _ORIGIN.fullmatch(origin):
                raise SettingsError(
                    f"S2CART_CORS_ALLOWED_ORIGINS: '{origin}' is not an origin "
                    "(scheme://host[:port], scheme://host:* for any port, or *; no path, no trailing slash)"
                )
        if not self.rate_limit_storage.startswith(("memory://", "redis://", "rediss://")):
            raise SettingsError("S2CART_RATE_LIMIT_STORAGE must be memory:// or a redis:// URL")
        if self.rate_limit_multiplier <= 0:
            raise SettingsError("S2CART_RATE_LIMIT_MULTIPLIER must be positive")
        if not 0 <= self.session_cache_seconds <= 3600:
            raise SettingsError("S2CART_SESSION_CACHE_SECONDS must be from 0 (off) to 3600")
        if not 0 <= self.search_cache_seconds <= 300:
            raise SettingsError("S2CART_SEARCH_CACHE_SECONDS must be from 0 (off) to 300")
        if not 0 <= self.search_rankings_bytes <= 64 * 1024 * 1024:
            raise SettingsError("S2CART_SEARCH_RANKINGS_BYTES must be from 0 (off) to 67108864 (64 MiB)")
        if self.database_pool_size < 1 or self.database_max_overflow < 0 or self.database_read_pool_size < 1:
            raise SettingsError(
                "S2CART_DATABASE_POOL_SIZE and S2CART_DATABASE_READ_POOL_SIZE must be positive and "
                "S2CART_DATABASE_MAX_OVERFLOW not negative"
            )
        if not 0 <= self.database_conflict_retries <= 10:
            raise SettingsError("S2CART_DATABASE_CONFLICT_RETRIES must be from 0 (off) to 10")
        _check_read_urls(self)
        if self.max_body_bytes < 1024:
            raise SettingsError("S2CART_MAX_BODY_BYTES must be at least 1024")
        if self.jwt_algorithm != "HS256" and not (self.jwt_private_key_file and self.jwt_public_key_file):
            raise SettingsError("S2CART_JWT_ALGORITHM other than HS256 needs S2CART_JWT_PRIVATE_KEY_FILE and _PUBLIC_")
        for name in ("argon2_time_cost", "argon2_parallelism", "argon2_max_threads"):
            if getattr(self, name) < 1:
                raise SettingsError(f"S2CART_{name.upper()} must be positive")
        if not 0 <= self.argon2_thread_nice <= 19:
            raise SettingsError("S2CART_ARGON2_THREAD_NICE must be from 0 to 19")
        if self.argon2_memory_kib < 8 * self.argon2_parallelism:
            raise SettingsError("S2CART_ARGON2_MEMORY_KIB is too small for the parallelism")
        if not 1 <= self.cart_max_quantity <= 10_000:
            raise SettingsError("S2CART_CART_MAX_QUANTITY must be from 1 to 10000")
        if not 1 <= self.max_addresses <= 1000:
            raise SettingsError("S2CART_MAX_ADDRESSES must be from 1 to 1000")
        if not (Decimal(0) <= self.tax_rate < 1):
            raise SettingsError("S2CART_TAX_RATE must be a fraction from 0 to below 1 (0.18 is 18%)")
        if self.shipping_fee < 0 or (self.free_shipping_over is not None and self.free_shipping_over < 0):
            raise SettingsError("S2CART_SHIPPING_FEE and S2CART_FREE_SHIPPING_OVER must not be negative")
        if not 1 <= self.idempotency_lease_seconds <= 3600:
            raise SettingsError("S2CART_IDEMPOTENCY_LEASE_SECONDS must be from 1 to 3600")
        if not 0 <= self.delivery_days <= 60:
            raise SettingsError("S2CART_DELIVERY_DAYS must be from 0 to 60")
        if not 0 <= self.gateway_deadline_seconds <= 120:
            raise SettingsError("S2CART_GATEWAY_DEADLINE_SECONDS must be from 0 to 120 (0: no deadline)")
        if self.env == "prod":
            if not self.smtp_host:
                raise SettingsError("S2CART_SMTP_HOST must be set in prod (mails would only reach the log)")
            if self.jwt_secret == DEV_JWT_SECRET or len(self.jwt_secret) < 32:
                raise SettingsError("S2CART_JWT_SECRET must be set to a random value of 32+ characters in prod")
            if not self.public_base_url.startswith("https://"):
                raise SettingsError("S2CART_PUBLIC_BASE_URL must be an https:// URL in prod")
        _check_gateways(self)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def paytm_enabled(self) -> bool:
        return bool(self.paytm_mid and self.paytm_merchant_key)

    @property
    def phonepe_v2(self) -> bool:
        return bool(self.phonepe_client_id)

    @property
    def phonepe_enabled(self) -> bool:
        return self.phonepe_v2 or bool(self.phonepe_merchant_id and self.phonepe_salt_key)

    @property
    def phonepe_token_endpoint(self) -> str:
        return self.phonepe_token_url or f"{self.phonepe_base_url.rstrip('/')}/v1/oauth/token"


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{Path.cwd() / 'var' / 's2cart.db'}"


_ORIGIN = re.compile(r"https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*)(:([0-9]{1,5}|\*))?")
_FIELDS = {f.name: f for f in msgspec.structs.fields(Settings)}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _coerce(name: str, info: msgspec.structs.FieldInfo, value: str) -> object:
    kind = info.type
    if kind is bool:
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise SettingsError(f"S2CART_{name.upper()} must be true or false, not '{value}'")
    if kind is float:
        try:
            return float(value)
        except ValueError as exc:
            raise SettingsError(f"S2CART_{name.upper()} must be a number") from exc
    if kind is int:
        try:
            return int(value)
        except ValueError as exc:
            raise SettingsError(f"S2CART_{name.upper()} must be an integer") from exc
    if name in ("trusted_proxies", "cors_allowed_origins", "database_read_url"):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if name == "log_level":
        return value.upper()
    if name == "tax_mode":
        return value.strip().lower()
    return value


def _named(message: str) -> str:
    """msgspec says where a value failed as ``- at `$.tax_rate```: name the environment variable instead."""
    found = re.search(r"\s*- at `\$\.(\w+)[^`]*`", message)
    if found is None:
        return f"invalid setting: {message}"
    return f"S2CART_{found.group(1).upper()}: {message[: found.start()]}"


def _redacted_url(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else f"{scheme}://{user}@{host}"


def _check_read_urls(settings: Settings) -> None:
    if not settings.database_read_url:
        return
    if settings.is_sqlite:
        raise SettingsError("S2CART_DATABASE_READ_URL needs PostgreSQL: SQLite has no replicas")
    for url in settings.database_read_url:
        if not url.startswith("postgresql"):
            raise SettingsError(f"S2CART_DATABASE_READ_URL: '{_redacted_url(url)}' is not a postgresql URL")
    if not 0 < settings.database_read_max_lag_seconds <= 3600:
        raise SettingsError("S2CART_DATABASE_READ_MAX_LAG_SECONDS must be above 0 and at most 3600")


def _check_gateways(settings: Settings) -> None:
    """Half-set credentials stop the service (a typo must not silently disable a gateway); in prod an
    enabled gateway must be reached over https on a public host, so a simulator cannot take real orders,
    unless S2CART_PAYMENT_ALLOW_LOCAL_GATEWAYS says a prod-mode staging stack means it."""
    _check_phonepe_version(settings)
    pairs = [("PAYTM_MID", settings.paytm_mid, "PAYTM_MERCHANT_KEY", settings.paytm_merchant_key)]
    if not settings.phonepe_v2:  # with v2 a merchant id alone is fine: it names the merchant in webhooks
        pairs.append(
            ("PHONEPE_MERCHANT_ID", settings.phonepe_merchant_id, "PHONEPE_SALT_KEY", settings.phonepe_salt_key)
        )
    for id_name, id_value, key_name, key_value in pairs:
        if bool(id_value) != bool(key_value):
            raise SettingsError(f"S2CART_{id_name} and S2CART_{key_name} must be set together")
    if settings.paytm_merchant_key and len(settings.paytm_merchant_key.encode()) not in (16, 24, 32):
        raise SettingsError("S2CART_PAYTM_MERCHANT_KEY must be 16, 24 or 32 bytes (it is an AES key)")
    if settings.phonepe_salt_index < 1:
        raise SettingsError("S2CART_PHONEPE_SALT_INDEX must be 1 or more")
    gateways = (
        ("PAYTM_BASE_URL", settings.paytm_base_url, settings.paytm_enabled),
        ("PHONEPE_BASE_URL", settings.phonepe_base_url, settings.phonepe_enabled),
        ("PHONEPE_TOKEN_URL", settings.phonepe_token_endpoint, settings.phonepe_v2),
    )
    strict = settings.env == "prod" and not settings.payment_allow_local_gateways
    for name, url, enabled in gateways:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SettingsError(f"S2CART_{name} must be an http(s) URL")
        if enabled and strict and (parts.scheme != "https" or _is_local(parts.hostname)):
            raise SettingsError(
                f"S2CART_{name} must be https on a public host in prod "
                "(S2CART_PAYMENT_ALLOW_LOCAL_GATEWAYS=true allows a simulator)"
            )


_V2_NEEDS = ("PHONEPE_CLIENT_SECRET", "PHONEPE_WEBHOOK_USERNAME", "PHONEPE_WEBHOOK_PASSWORD")


def _check_phonepe_version(settings: Settings) -> None:
    """A client id means Standard Checkout v2, a salt key v1; never both, and v2 complete or not at all."""
    if settings.phonepe_client_id and settings.phonepe_salt_key:
        raise SettingsError(
            "S2CART_PHONEPE_CLIENT_ID (Standard Checkout v2) and S2CART_PHONEPE_SALT_KEY (v1) are both set: "
            "keep the one PhonePe gave you"
        )
    given = {name: getattr(settings, name.lower()) for name in _V2_NEEDS}
    if settings.phonepe_client_id:
        missing = [f"S2CART_{name}" for name, value in given.items() if not value]
        if missing:
            raise SettingsError(f"S2CART_PHONEPE_CLIENT_ID needs {', '.join(missing)} as well")
        if urlsplit(settings.phonepe_base_url).hostname == "api.phonepe.com" and not settings.phonepe_token_url:
            raise SettingsError(
                "S2CART_PHONEPE_TOKEN_URL must be set with PhonePe's production API "
                "(https://api.phonepe.com/apis/identity-manager/v1/oauth/token)"
            )
    elif any(given.values()) or settings.phonepe_token_url:
        raise SettingsError("S2CART_PHONEPE_CLIENT_SECRET, _WEBHOOK_* and _TOKEN_URL need S2CART_PHONEPE_CLIENT_ID")


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified
