"""The hot readers' psycopg pool (decision 0044): first come, first served, never more than its size, and a
connection left mid-statement by a cancelled read is closed, not handed to the next read."""

from __future__ import annotations

import asyncio
from datetime import UTC

import pytest
from sqlalchemy.engine import make_url

from s2cart.adapters.persistence.driver_pool import DriverPool
from s2cart.adapters.persistence.engine import WORD_SIMILARITY_THRESHOLD, make_engine, make_reads
from s2cart.application.errors import StorageUnavailable


@pytest.fixture
def conninfo(pg_database_url: str | None) -> str:
    if pg_database_url is None:
        pytest.skip("the driver pool is PostgreSQL's")
    return make_url(pg_database_url).set(drivername="postgresql").render_as_string(hide_password=False)


async def test_connections_are_granted_in_arrival_order_and_never_beyond_the_size(conninfo: str) -> None:
    pool = DriverPool(conninfo, 1)
    try:
        held = await pool.acquire()
        order: list[int] = []

        async def read(n: int) -> None:
            connection = await pool.acquire()
            order.append(n)
            await asyncio.sleep(0)  # a newcomer arriving now must still queue behind the waiters
            pool.release(connection)

        waiting = [asyncio.create_task(read(n)) for n in range(5)]
        await asyncio.sleep(0.01)
        assert order == []  # one connection, held: everyone waits
        pool.release(held)
        await asyncio.gather(*waiting)
        assert order == [0, 1, 2, 3, 4]
        assert pool._open == 1  # one connection served them all
    finally:
        await pool.close()


async def test_a_read_cancelled_mid_statement_leaves_no_busy_connection_behind(conninfo: str) -> None:
    pool = DriverPool(conninfo, 1)
    try:

        async def slow() -> None:
            connection = await pool.acquire()
            try:
                await pool.execute(connection, "SELECT pg_sleep(5)", {})
            finally:
                pool.release(connection)

        task = asyncio.create_task(slow())
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        connection = await asyncio.wait_for(pool.acquire(), 2)  # a fresh one: the busy one was closed
        try:
            assert await pool.execute(connection, "SELECT 1", {}) == [(1,)]
        finally:
            pool.release(connection)
        assert pool._open == 1
    finally:
        await pool.close()


async def test_a_wait_past_the_timeout_is_storage_unavailable(conninfo: str) -> None:
    pool = DriverPool(conninfo, 1, wait_timeout=0.1)
    try:
        held = await pool.acquire()
        with pytest.raises(StorageUnavailable):
            await pool.acquire()
        pool.release(held)
        again = await asyncio.wait_for(pool.acquire(), 1)  # the timed-out waiter took nothing with it
        pool.release(again)
    finally:
        await pool.close()


async def test_every_postgresql_connection_reads_times_in_utc_and_forgives_typos_alike(
    pg_database_url: str | None,
) -> None:
    """The driver pool and the engines start their connections with the same settings (``SESSION_SETTINGS``): times
    come back as ``datetime.UTC`` (nothing left to convert, whatever the server's TimeZone) and the trigram
    threshold that product search's typo fallback needs."""
    if pg_database_url is None:
        pytest.skip("PostgreSQL's session settings")
    reads = make_reads(pg_database_url, pool_size=1)
    engine = make_engine(pg_database_url, pool_size=1)
    query = "SELECT now(), current_setting('TimeZone'), current_setting('pg_trgm.word_similarity_threshold')"
    try:
        connection = await reads.driver_pool.acquire()
        try:
            driver_row = (await reads.driver_pool.execute(connection, query, {}))[0]
        finally:
            reads.driver_pool.release(connection)
        async with engine.connect() as core:
            engine_row = (await core.exec_driver_sql(query)).one()
    finally:
        await reads.dispose()
        await engine.dispose()
    for now, zone, threshold in (driver_row, tuple(engine_row)):
        assert now.tzinfo is UTC
        assert zone == "UTC"
        assert float(threshold) == WORD_SIMILARITY_THRESHOLD
