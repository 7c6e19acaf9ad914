"""The composition root: the only module that names adapters."""

from __future__ import annotations

from dependency_injector import containers, providers
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart import __version__
from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.probe import SqlAlchemyDatabaseProbe
from s2cart.adapters.persistence.readers.carts import SqlAlchemyCartReader
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.adapters.system.cache import LocalCacheProbe, RedisCacheProbe
from s2cart.adapters.system.clock import SystemClock
from s2cart.application.carts.add_item_to_cart import AddItemToCart
from s2cart.application.carts.clear_carts import ClearCarts
from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.carts.queries import GetStoreCart, ListCarts
from s2cart.application.carts.remove_cart_item import RemoveCartItem
from s2cart.application.carts.update_cart_item import UpdateCartItem
from s2cart.application.catalog.load_catalog import LoadCatalog
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

    check_health = providers.Factory(
        CheckHealth, database=database_probe, cache=cache_probe, clock=clock, version=version
    )

    # Catalog and carts. The SQL catalog is a repository of the unit of work (uow.catalog), so it is
    # built there; use cases get the UoW factory (uow.provider), one call one transaction.
    load_catalog = providers.Factory(LoadCatalog, uow=uow.provider)
    cart_reader = providers.Factory(SqlAlchemyCartReader, session_factory=session_factory)
    list_carts = providers.Factory(ListCarts, reader=cart_reader)
    get_store_cart = providers.Factory(GetStoreCart, reader=cart_reader)
    create_cart = providers.Factory(CreateCart, uow=uow.provider, clock=clock)
    add_item_to_cart = providers.Factory(
        AddItemToCart, uow=uow.provider, clock=clock, max_quantity=settings.provided.cart_max_quantity
    )
    update_cart_item = providers.Factory(
        UpdateCartItem, uow=uow.provider, clock=clock, max_quantity=settings.provided.cart_max_quantity
    )
    remove_cart_item = providers.Factory(RemoveCartItem, uow=uow.provider, clock=clock)
    clear_carts = providers.Factory(ClearCarts, uow=uow.provider)


def build_container(settings: Settings) -> Container:
    return Container(settings=settings)


async def close_resources(container: Container) -> None:
    """Close the pools this process opened (called at app shutdown)."""
    engine: AsyncEngine = container.engine()
    await engine.dispose()
    redis: Redis | None = container.redis()
    if redis is not None:
        await redis.aclose()
    container.engine.reset()
    container.redis.reset()
