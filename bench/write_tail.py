"""Add-item's latency distribution in one worker, the connection pool being the only difference (decision 0041).

Runs after ``make bench`` (it reuses bench/.work/: the seeded database, tokens and settings). In a process of its
own for each side, alternating, the S2Cart app is driven in-process (httpx's ASGI transport, no network, no
wrk) by CLIENTS concurrent clients that each send ``POST /api/auth/cart/items/`` merges back to back for SECONDS,
as wrk's 64 connections do to each of two workers. ``stock`` is SQLAlchemy's AsyncAdaptedQueuePool, ``fair`` the
pool S2Cart uses (persistence/fair_pool.py). Prints req/s and p50/p90/p99/max per run.

    .venv/bin/python bench/write_tail.py [CLIENTS=32] [SECONDS=10] [ROUNDS=2]
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"


async def drive(pool: str, clients: int, seconds: float) -> dict[str, float]:
    for line in (WORK / "server.env").read_text().splitlines():
        key, _, value = line.partition("=")
        os.environ[key] = value
    os.environ["S2CART_ACCESS_LOG"] = "false"
    import httpx
    from sqlalchemy.pool import AsyncAdaptedQueuePool

    from s2cart.adapters.persistence import engine as engine_module

    if pool == "stock":
        engine_module.FairAsyncQueuePool = AsyncAdaptedQueuePool  # type: ignore[misc, assignment]
    from s2cart.entrypoints.http.app import create_app
    from s2cart.entrypoints.settings import Settings

    rng = random.Random(7)
    lines = [line.split() for line in (WORK / "lines.txt").read_text().splitlines()]
    app = create_app(Settings.from_env())
    latencies: list[float] = []
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))  # type: ignore[arg-type]

    async def client(http: httpx.AsyncClient, deadline: float, record: bool) -> None:
        while time.perf_counter() < deadline:
            token, _user, _item, store, product = rng.choice(lines)
            started = time.perf_counter()
            answer = await http.post(
                "/api/auth/cart/items/",
                headers={"Authorization": f"Bearer {token}"},
                json={"store_id": store, "product_id": product, "quantity": 1},
            )
            assert answer.status_code < 300, answer.text[:200]
            if record:
                latencies.append((time.perf_counter() - started) * 1000)

    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://bench") as http:  # type: ignore[attr-defined]
        warm = time.perf_counter() + 2
        await asyncio.gather(*(client(http, warm, False) for _ in range(clients)))
        started = time.perf_counter()
        await asyncio.gather(*(client(http, started + seconds, True) for _ in range(clients)))
        took = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {
        "pool": pool,
        "rps": round(len(latencies) / took, 1),
        "p50_ms": round(q[49], 1),
        "p90_ms": round(q[89], 1),
        "p99_ms": round(q[98], 1),
        "max_ms": round(max(latencies), 1),
        "p99_over_p50": round(q[98] / q[49], 2),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--side":
        result = asyncio.run(drive(sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))
        print("RESULT " + json.dumps(result))
        return
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    for _ in range(rounds):
        for pool in ("stock", "fair"):
            out = subprocess.run(  # noqa: S603 - this interpreter, this script
                [sys.executable, __file__, "--side", pool, str(clients), str(seconds)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
            print(
                f"{pool:<6} {clients} clients: {result['rps']:7.1f} req/s  p50 {result['p50_ms']:7.1f}  "
                f"p90 {result['p90_ms']:7.1f}  p99 {result['p99_ms']:7.1f}  max {result['max_ms']:7.1f} ms  "
                f"p99/p50 {result['p99_over_p50']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
