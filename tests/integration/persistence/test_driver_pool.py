"""The hot readers' psycopg pool (decision 0044): first come, first served, never more than its size, and a
connection left mid-statement by a cancelled read is closed, not handed to the next read."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.engine import make_url

from s2cart.adapters.persistence.driver_pool import DriverPool
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
