"""What one cart read costs around its statement: the pool checkout, the ping, the isolation switch (issue 20).

Runs the cart page's statement (``CARTS_AND_LINES`` for one user) N times in this process, one after another, on
three ways of getting a connection, alternating them in rounds, and prints ``time.process_time()`` per read and the
round trips per read (the statements the listeners see plus the pool's pings). PostgreSQL's own CPU is not
counted.

- ``engine+ping``: the engine as units of work use it (pre-ping on), with AUTOCOMMIT switched on per checkout
  (``autocommit(engine)``): the read path before decision 0044.
- ``read engine``: a second engine made for reads (decision 0044): AUTOCOMMIT from connect, no ping, no reset.
- ``driver pool``: the hot readers' psycopg pool (decision 0044, ``engine.make_reads``): no SQLAlchemy at all.
- ``bare psycopg``: the lower bound: a deque of autocommit connections and the execute, nothing else.

Needs the bench's seeded database (bench/.work/server.env, written by ``bench/run.py``).

    .venv/bin/python bench/read_checkout.py [N] [ROUNDS]
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event

from s2cart.adapters.persistence.engine import make_engine, make_read_engine, make_reads
from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.readers.carts import _OF_USER

WORK = Path(__file__).resolve().parent / ".work"
CALLS = [0]


def counted(*_: object) -> None:
    CALLS[0] += 1


async def main(n: int, rounds: int) -> None:
    for line in (WORK / "server.env").read_text().splitlines():
        key, _, value = line.partition("=")
        os.environ.setdefault(key, value)
    url = os.environ["S2CART_DATABASE_URL"]
    ids = [int(i) for i in (WORK / "user_ids.txt").read_text().split()]
    rng = random.Random(1)  # noqa: S311 (which users, not secrets)
    users = [rng.choice(ids) for _ in range(n)]

    engine = make_engine(url, pool_size=4, max_overflow=0, pre_ping=True)
    read_engine = make_read_engine(url, pool_size=4)
    for e in (engine, read_engine):
        event.listen(e.sync_engine, "before_cursor_execute", counted)
    reads = make_reads(url, pool_size=4, statements_seen_by=engine)
    with_ping, without, driver = Reader(engine), Reader(read_engine), Reader(reads)  # type: ignore[arg-type]
    query = with_ping.query(_OF_USER)

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    pool: deque[psycopg.AsyncConnection[Any]] = deque(
        [await psycopg.AsyncConnection.connect(conninfo, autocommit=True) for _ in range(4)]
    )

    async def native(params: dict[str, Any]) -> list[Any]:
        connection = pool.popleft()
        try:
            async with connection.cursor() as cursor:
                CALLS[0] += 1
                await cursor.execute(query.sql, params)  # type: ignore[arg-type]
                return query.convert(await cursor.fetchall())
        finally:
            pool.append(connection)

    ways = {
        "engine+ping": lambda p: with_ping.rows(query, p),
        "read engine": lambda p: without.rows(query, p),
        "driver pool": lambda p: driver.rows(query, p),
        "bare psycopg": native,
    }
    # Round trips: the ping is a statement the server runs but no listener sees; count it at the dialect.
    for dialect in (engine.sync_engine.dialect, read_engine.sync_engine.dialect):
        ping = dialect.do_ping

        def do_ping(dbapi_connection: Any, ping: Any = ping) -> bool:
            CALLS[0] += 1
            return bool(ping(dbapi_connection))

        dialect.do_ping = do_ping  # type: ignore[method-assign]
    trips: dict[str, float] = {}
    results: dict[str, list[float]] = {name: [] for name in ways}
    for way in ways.values():  # warm-up: connections, prepared statements
        for user in users[:300]:
            await way({"user_id": user})
    for _ in range(rounds):
        for name, way in ways.items():
            CALLS[0] = 0
            started = time.process_time()
            for user in users:
                await way({"user_id": user})
            results[name].append((time.process_time() - started) * 1e6 / n)
            trips[name] = CALLS[0] / n
        print("  ".join(f"{name}: {results[name][-1]:6.1f} us" for name in ways), flush=True)
    for name in ways:
        runs = sorted(results[name])
        print(
            f"{name:<14} median {runs[len(runs) // 2]:6.1f} us CPU a read (min {runs[0]:6.1f}), "
            f"{trips[name]:.2f} round trips a read"
        )
    for connection in pool:
        await connection.close()
    await engine.dispose()
    await read_engine.dispose()
    await reads.dispose()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    asyncio.run(main(args[0] if args else 3000, args[1] if len(args) > 1 else 5))
