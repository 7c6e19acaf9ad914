"""Connections are granted in arrival order (decision 0041): a request that asks for a connection while others
wait for one gets in line behind them, even at the very moment a connection comes back."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from s2cart.adapters.persistence.engine import make_engine
from s2cart.adapters.persistence.fair_pool import FairAsyncQueuePool


async def _order_of_grants(engine: AsyncEngine) -> list[str]:
    granted: list[str] = []

    async def use(name: str) -> None:
        async with engine.connect():
            granted.append(name)
            await asyncio.sleep(0.01)

    held = await engine.connect()  # the pool's only connection
    waiting = [asyncio.create_task(use(f"waiter {n}")) for n in range(3)]
    await asyncio.sleep(0.05)  # all three are waiting now
    await held.close()  # gives the connection back and wakes waiter 0 ...
    await use("newcomer")  # ... but this task asks again before waiter 0 has run
    await asyncio.gather(*waiting)
    return granted


@pytest.fixture
def pg_url(pg_database_url: str | None) -> str:
    if pg_database_url is None:
        pytest.skip("PostgreSQL not configured (S2CART_TEST_DATABASE_URL)")
    return pg_database_url


async def test_a_newcomer_waits_behind_the_requests_already_waiting(pg_url: str) -> None:
    engine = make_engine(pg_url, pool_size=1, max_overflow=0, pre_ping=False)
    assert isinstance(engine.pool, FairAsyncQueuePool)
    try:
        assert await _order_of_grants(engine) == ["waiter 0", "waiter 1", "waiter 2", "newcomer"]
    finally:
        await engine.dispose()


async def test_the_stock_pool_lets_the_newcomer_overtake(pg_url: str) -> None:
    """What the fair pool fixes, shown on SQLAlchemy's own pool with the same settings."""
    engine = create_async_engine(pg_url, pool_size=1, max_overflow=0, poolclass=AsyncAdaptedQueuePool)
    try:
        assert (await _order_of_grants(engine))[0] == "newcomer"
    finally:
        await engine.dispose()


async def test_a_wait_that_times_out_leaves_the_pool_whole(pg_url: str) -> None:
    engine = make_engine(pg_url, pool_size=1, max_overflow=0, pre_ping=False)
    engine.pool._timeout = 0.05  # type: ignore[attr-defined]
    try:
        held = await engine.connect()
        with pytest.raises(Exception, match="QueuePool limit"):
            await engine.connect()
        await held.close()
        async with engine.connect() as again:  # the connection came back and is granted
            assert again is not None
    finally:
        await engine.dispose()
