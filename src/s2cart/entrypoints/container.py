"""The composition root: the only module that names adapters."""

from __future__ import annotations

from dependency_injector import containers, providers
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart import __version__
from s2cart.adapters.payments.http import make_client
from s2cart.adapters.payments.paytm import PaytmGateway
from s2cart.adapters.payments.phonepe import PhonePeGateway
from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.probe import SqlAlchemyDatabaseProbe
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.adapters.system.cache import LocalCacheProbe, RedisCacheProbe
from s2cart.adapters.system.clock import SystemClock
from s2cart.application.ports.system import CacheProbe
from s2cart.application.system.check_health import CheckHealth
from s2cart.entrypoints.settings import Settings


def _redis(url: str | None) -> Redis | None:
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1) if url else None


def _cache_probe(redis: Redis | None) -> CacheProbe:
    return RedisCacheProbe(redis) if redis is not None else LocalCacheProbe()


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    version = providers.Object(__version__)

    clock = providers.Singleton(SystemClock)

    # Singletons, not async Resources: an async Resource turns every provider below it into one that
    # returns a Future, costing an await per request. Pools are closed by close_resources() instead.
    engine = providers.Singleton(
        make_engine, settings.provided.database_url, pool_size=settings.provided.database_pool_size
    )
    session_factory = providers.Singleton(make_session_factory, engine)
    uow = providers.Factory(SqlAlchemyUnitOfWork, session_factory=session_factory)

    redis = providers.Singleton(_redis, settings.provided.redis_url)

    database_probe = providers.Singleton(SqlAlchemyDatabaseProbe, engine)
    cache_probe = providers.Singleton(_cache_probe, redis)

    # One HTTP client per gateway, so connections are pooled per host; closed by close_resources().
    paytm_http = providers.Singleton(make_client, settings.provided.paytm_base_url)
    paytm = providers.Singleton(
        PaytmGateway,
        paytm_http,
        mid=settings.provided.paytm_mid,
        merchant_key=settings.provided.paytm_merchant_key,
        website=settings.provided.paytm_website,
        clock=clock,
    )
    phonepe_http = providers.Singleton(make_client, settings.provided.phonepe_base_url)
    phonepe = providers.Singleton(
        PhonePeGateway,
        phonepe_http,
        merchant_id=settings.provided.phonepe_merchant_id,
        salt_key=settings.provided.phonepe_salt_key,
        salt_index=settings.provided.phonepe_salt_index,
        clock=clock,
    )
    # Keyed by the contract's payment_method; build_container adds only the gateways with credentials.
    payment_gateways = providers.Dict()

    check_health = providers.Factory(
        CheckHealth, database=database_probe, cache=cache_probe, clock=clock, version=version
    )


def build_container(settings: Settings) -> Container:
    container = Container(settings=settings)
    if settings.paytm_enabled:
        container.payment_gateways.add_kwargs(PAYTM=container.paytm)
    if settings.phonepe_enabled:
        container.payment_gateways.add_kwargs(PHONEPE=container.phonepe)
    return container


async def close_resources(container: Container) -> None:
    """Close the pools this process opened (called at app shutdown)."""
    settings: Settings = container.settings()
    engine: AsyncEngine = container.engine()
    await engine.dispose()
    redis: Redis | None = container.redis()
    if redis is not None:
        await redis.aclose()
    container.engine.reset()
    container.redis.reset()
    for enabled, http in (
        (settings.paytm_enabled, container.paytm_http),
        (settings.phonepe_enabled, container.phonepe_http),
    ):
        if enabled:
            await http().aclose()
        http.reset()
    container.paytm.reset()
    container.phonepe.reset()
