"""How each adapter is built from the settings: the container's recipes, kept apart so it reads as a map."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dependency_injector import providers
from redis.asyncio import Redis
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.mail.log_mailer import LogMailer
from s2cart.adapters.mail.smtp import SmtpMailer
from s2cart.adapters.persistence.cart_merge import DriverCartLineMerge
from s2cart.adapters.persistence.engine import Reads, make_read_engine, make_reads
from s2cart.adapters.persistence.read_marks import LocalMarks, ReadYourWrites, RedisMarks
from s2cart.adapters.persistence.readers.session_lookup import SqlAlchemySessionLookup
from s2cart.adapters.persistence.replicas import ReplicaRouter, on_primary_if_replica_fails
from s2cart.adapters.persistence.session_rotation import SqlRefreshRotation
from s2cart.adapters.ratelimit.fallback import FallbackRateLimiter
from s2cart.adapters.ratelimit.memory import MemoryRateLimiter
from s2cart.adapters.ratelimit.redis import RedisRateLimiter
from s2cart.adapters.security.jwt_tokens import JwtTokenService
from s2cart.adapters.system.auth_epoch import EPOCH_KEY, RedisAuthEpoch
from s2cart.adapters.system.cache import LocalCacheProbe, RedisCacheProbe
from s2cart.adapters.system.shared_sessions import RedisSharedSessions
from s2cart.application.auth.session_cache import CachedSessionLookup
from s2cart.application.catalog.search_cache import CachedStorefront
from s2cart.application.catalog.search_rankings import RankedStorefront, RankingReader
from s2cart.application.payments.gateways import PaymentLinks
from s2cart.application.ports.auth import AuthEpoch, SessionLookup
from s2cart.application.ports.mail import Mailer
from s2cart.application.ports.metrics import SearchMetrics
from s2cart.application.ports.ratelimit import RateLimiter
from s2cart.application.ports.system import CacheProbe, Clock
from s2cart.domain.orders.pricing import PricingPolicy
from s2cart.domain.sessions.session import SessionPolicy
from s2cart.domain.tax.gst import TaxMode
from s2cart.entrypoints.http.routes import BASE_PATH
from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    import httpx

    from s2cart.adapters.payments.paytm import PaytmGateway
    from s2cart.adapters.payments.phonepe import PhonePeGateway
    from s2cart.adapters.payments.phonepe_v2 import PhonePeV2Gateway


def redis_client(url: str | None) -> Redis | None:
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1) if url else None


def rate_limit_redis_client(storage: str) -> Redis | None:
    if not storage.startswith(("redis://", "rediss://")):
        return None
    return Redis.from_url(storage, socket_connect_timeout=0.5, socket_timeout=0.5)


def rate_limiter(client: Redis | None) -> RateLimiter:
    if client is None:
        return MemoryRateLimiter()
    # The AuthEpoch lives in this Redis too (shared_redis): the script reads it with the count (decision 0040).
    return FallbackRateLimiter(RedisRateLimiter(client, epoch_key=EPOCH_KEY), MemoryRateLimiter())


def shared_redis(redis: Redis | None, rate_limit_redis: Redis | None) -> Redis | None:
    """The Redis every worker shares: the one rate limits use (whose loss degrades the service), else the
    general one; None when neither is configured."""
    return rate_limit_redis or redis


def cache_probe(client: Redis | None) -> CacheProbe:
    return RedisCacheProbe(client) if client is not None else LocalCacheProbe()


def auth_epoch(client: Redis | None) -> AuthEpoch | None:
    # No shared Redis, no cross-worker session cache.
    return RedisAuthEpoch(client) if client is not None else None


def session_lookup(
    engine: AsyncEngine, epoch: AuthEpoch | None, clock: Clock, cache_seconds: int, shared: Redis | None = None
) -> SessionLookup:
    """With the epoch's Redis (``shared``), the workers' caches share what they read (decision 0045)."""
    lookup = SqlAlchemySessionLookup(engine)
    if epoch is None or cache_seconds <= 0:
        return lookup
    sessions = RedisSharedSessions.over(shared) if shared is not None else None
    return CachedSessionLookup(lookup, epoch, clock, timedelta(seconds=cache_seconds), shared=sessions)


def mailer(settings: Settings) -> Mailer:
    if not settings.smtp_host:
        return LogMailer()
    return SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        settings.mail_from,
        username=settings.smtp_user,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
    )


def token_service(settings: Settings, policy: SessionPolicy) -> JwtTokenService:
    signing: Any = settings.jwt_secret
    verifying: Any = settings.jwt_secret
    if settings.jwt_algorithm != "HS256":
        assert settings.jwt_private_key_file and settings.jwt_public_key_file
        signing = Path(settings.jwt_private_key_file).read_text()
        verifying = Path(settings.jwt_public_key_file).read_text()
    return JwtTokenService(
        algorithm=settings.jwt_algorithm,
        signing_key=signing,
        verifying_key=verifying,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        access_ttl=policy.access_ttl,
        refresh_ttl=policy.refresh_ttl,
    )


# The gateways and their HTTP clients are imported when the first one is built, not with the worker: httpx (with
# httpcore, h11, idna's tables and certifi) is 5.5 MiB of a worker's memory, and a worker without gateway
# credentials, or before its first payment, never calls out (decision 0053).
def gateway_client(base_url: str, observer: Any = None) -> httpx.AsyncClient:
    from s2cart.adapters.payments.http import make_client

    return make_client(base_url, observer=observer)


def paytm_gateway(*args: Any, **kwargs: Any) -> PaytmGateway:
    from s2cart.adapters.payments.paytm import PaytmGateway

    return PaytmGateway(*args, **kwargs)


def phonepe_gateway(*args: Any, **kwargs: Any) -> PhonePeGateway:
    from s2cart.adapters.payments.phonepe import PhonePeGateway

    return PhonePeGateway(*args, **kwargs)


def phonepe_v2_gateway(*args: Any, **kwargs: Any) -> PhonePeV2Gateway:
    from s2cart.adapters.payments.phonepe_v2 import PhonePeV2Gateway

    return PhonePeV2Gateway(*args, **kwargs)


def payment_links(public_base_url: str) -> PaymentLinks:
    return PaymentLinks(f"{public_base_url.rstrip('/')}{BASE_PATH}")


def pricing(settings: Settings) -> PricingPolicy:
    return PricingPolicy(
        settings.tax_rate, settings.shipping_fee, settings.free_shipping_over, TaxMode(settings.tax_mode)
    )


# Replica checks: every half second per process; the marks outlive the lag limit by two checks, after which a
# replica that is still usable (lag within the limit) has replayed the write anyway (decision 0042).
REPLICA_CHECK_SECONDS = 0.5


def reads(primary: AsyncEngine, settings: Settings) -> AsyncEngine | Reads:
    """What the readers use (decision 0044): on PostgreSQL pools of their own, in AUTOCOMMIT and without the ping
    (the read engine, and the psycopg pool of the hot readers), whose statements the primary engine's statement
    listeners see too; on SQLite the one engine."""
    if primary.dialect.name != "postgresql":
        return primary
    return make_reads(settings.database_url, pool_size=settings.database_read_pool_size, statements_seen_by=primary)


def replica_router(
    primary: AsyncEngine, on_primary: AsyncEngine | Reads, settings: Settings, client: Redis | None
) -> ReplicaRouter | None:
    """Reads that tolerate lag go through this when S2CART_DATABASE_READ_URL names replicas; None otherwise.
    Reads that stay on the primary take ``on_primary`` (the readers' engine); the read-your-writes marks, taken after a
    commit, the primary engine. The replicas' engines are read engines too."""
    if not settings.database_read_url:
        return None
    replicas = [
        (
            make_url(url).render_as_string(hide_password=True),
            make_read_engine(url, pool_size=settings.database_read_pool_size, connect_timeout=2),
        )
        for url in settings.database_read_url
    ]
    ttl = settings.database_read_max_lag_seconds + 2 * REPLICA_CHECK_SECONDS + 1
    marks = ReadYourWrites(primary, RedisMarks(client) if client is not None else LocalMarks(), ttl)
    return ReplicaRouter(
        on_primary, replicas, marks, max_lag=settings.database_read_max_lag_seconds, check_every=REPLICA_CHECK_SECONDS
    )


def lag_tolerant(reader: Callable[[Any], Any], primary: AsyncEngine, router: ReplicaRouter | None) -> Any:
    """A reader that may read a replica: built on the router, whose calls run again on the primary when a replica
    fails under them; without replicas, the reader on the primary."""
    return reader(primary) if router is None else on_primary_if_replica_fails(reader(router))


def refresh_swap(engine: Any, marks: Any) -> providers.Singleton[SqlRefreshRotation]:
    """A provider (not an adapter): the refresh token swap on the readers' pools (``reads``: its driver pool on
    PostgreSQL, decision 0049), with the unit of work's read-your-writes marks (decision 0046); built here so that
    the container names it on RefreshTokens' line."""
    return providers.Singleton(SqlRefreshRotation, engine, marks)


def cart_line_merge(reads: AsyncEngine | Reads, marks: ReplicaRouter | None) -> providers.Singleton[Any]:
    """A provider (not an adapter): add-item's merge on the driver pool, with the unit of work's read-your-writes
    marks (decision 0048); None on SQLite, whose adds all take the unit of work. Built here so that the container
    names it on AddItemToCart's line."""
    return providers.Singleton(_cart_line_merge, reads, marks)


def _cart_line_merge(reads: AsyncEngine | Reads, marks: ReplicaRouter | None) -> DriverCartLineMerge | None:
    if not isinstance(reads, Reads):
        return None
    return DriverCartLineMerge(reads.driver_pool, reads.dialect, None if marks is None else marks.committed)


def search_cache(reader: RankingReader, settings: Settings, metrics: SearchMetrics) -> CachedStorefront:
    """Product searches answered from memory for S2CART_SEARCH_CACHE_SECONDS (0: every search is read); what it
    misses read by key when the query's ranking is kept (S2CART_SEARCH_RANKINGS_BYTES, 0: off; decision 0052)."""
    ranked = RankedStorefront(reader, settings.search_rankings_bytes, metrics=metrics)
    return CachedStorefront(ranked, settings.search_cache_seconds, metrics=metrics)
