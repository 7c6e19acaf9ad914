"""Product searches with many requests in flight in one process: SQL statements a search and the search cache's
counts (decision 0047), independent of the machine's load.

Runs after ``make bench`` with a products scenario (it reuses bench/.work/: the seeded database, the settings and
the shop's searches of products_search_1): N searches drawn with their shares, at most INFLIGHT at a time,
through the ASGI app in this process.

    .venv/bin/python bench/search_inflight.py [N [INFLIGHT]]
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from pathlib import Path

import httpx

WORK = Path(__file__).resolve().parent / ".work"


async def main(n: int, inflight: int) -> None:
    for line in (WORK / "server.env").read_text().splitlines():
        key, _, value = line.partition("=")
        os.environ.setdefault(key, value)  # a value given in the environment wins (S2CART_SEARCH_CACHE_SECONDS=0)
    os.environ["S2CART_ACCESS_LOG"] = "false"
    from sqlalchemy import event

    from s2cart.entrypoints.http.app import create_app
    from s2cart.entrypoints.settings import Settings

    app = create_app(Settings.from_env())
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    event.listen(app.state.container.engine().sync_engine, "before_cursor_execute", count)
    shop = [line.split() for line in (WORK / "search_shop.txt").read_text().splitlines()]
    rng = random.Random(3)  # noqa: S311 (the same draw every run)
    paths = rng.choices([path for _, path in shop], weights=[float(share) for share, _ in shop], k=n)
    gate = asyncio.Semaphore(inflight)
    async with app.lifespan():  # type: ignore[attr-defined]
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            async def search(path: str) -> None:
                async with gate:
                    answer = await client.get(path)
                    assert answer.status_code == 200, (path, answer.status_code)

            started = time.perf_counter()
            await asyncio.gather(*(search(path) for path in paths))
            took = time.perf_counter() - started
        stats = getattr(app.state.container.search_cache(), "stats", None)
    print(f"{statements[0] / n:.3f} SQL statements a search, {n / took:.0f} searches/s in-process; cache: {stats}")


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:]]
    asyncio.run(main(*(numbers + [3000, 64][len(numbers) :])))
