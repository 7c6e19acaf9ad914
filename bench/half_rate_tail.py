"""Where the paced GET /carts/ tail goes (issue 20; bench/README.md, "the half-rate tail").

Runs after ``bench/run.py`` (it reuses bench/.work/: the seeded database, tokens and server settings).

``cpu [N]``: N requests one at a time through the app in this process; for each, ``time.process_time()``, the SQL
statements (the session lookup on a cache miss, the once-a-minute ``last_activity`` touch, the cart read) and the
garbage collections that ran inside it (``gc.callbacks``, by generation). Says whether some requests cost much
more CPU than the rest, which is load-independent.

``pace DELAY_MS [ROUNDS] [SECONDS] [PORT]``: ``s2cart serve`` (2 workers) and wrk with 64 connections paced at
DELAY_MS, each connection's first request all at once after one period (``burst``, wrk's own ``delay()``) or spread
over the first period (``staggered``), alternated ROUNDS times: p50/p90/p99/max of each.

    .venv/bin/python bench/half_rate_tail.py cpu 3000
    .venv/bin/python bench/half_rate_tail.py pace 104 2 10 8430
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))


def server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("S2CART_")}
    for line in (WORK / "server.env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


async def cpu(n: int) -> None:
    os.environ.update(server_env())
    import httpx
    from sqlalchemy import event

    from s2cart.entrypoints.http.app import create_app
    from s2cart.entrypoints.settings import Settings

    app = create_app(Settings.from_env())
    statements = [0]
    collections: list[tuple[int, float]] = []
    started: list[float] = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            collections.append((info["generation"], (time.process_time() - started[0]) * 1000))

    def count(*_: object) -> None:
        statements[0] += 1

    event.listen(app.state.container.engine().sync_engine, "before_cursor_execute", count)
    rng = random.Random(5)
    tokens = (WORK / "access.txt").read_text().split()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))  # type: ignore[arg-type]
    rows: list[tuple[float, int, list[tuple[int, float]]]] = []
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://bench") as http:  # type: ignore[attr-defined]
        for _ in range(300):  # warm-up
            await http.get("/api/auth/carts/", headers={"Authorization": f"Bearer {rng.choice(tokens)}"})
        gc.freeze()  # as `s2cart serve` does in each worker after startup
        gc.callbacks.append(on_gc)
        for _ in range(n):
            before, seen = statements[0], len(collections)
            cpu_started = time.process_time()
            answer = await http.get("/api/auth/carts/", headers={"Authorization": f"Bearer {rng.choice(tokens)}"})
            assert answer.status_code == 200, answer.text[:200]
            rows.append(((time.process_time() - cpu_started) * 1000, statements[0] - before, collections[seen:]))
        gc.callbacks.remove(on_gc)
    q = statistics.quantiles(sorted(r[0] for r in rows), n=100)
    print(
        f"{n} GET /carts/ one at a time, CPU ms a request: p50 {q[49]:.2f}  p90 {q[89]:.2f}  p99 {q[98]:.2f}  "
        f"max {max(r[0] for r in rows):.2f}"
    )
    by_generation: dict[int, list[float]] = {}
    for generation, ms in collections:
        by_generation.setdefault(generation, []).append(ms)
    for generation, values in sorted(by_generation.items()):
        print(
            f"  gen{generation} collections: {len(values)}, CPU ms p50 {statistics.median(values):.2f} "
            f"max {max(values):.2f}"
        )
    by_statements: dict[int, list[float]] = {}
    for ms, count_, _ in rows:
        by_statements.setdefault(count_, []).append(ms)
    for count_, values in sorted(by_statements.items()):
        print(
            f"  {count_} statements: {len(values)} requests, CPU ms p50 {statistics.median(values):.2f} "
            f"max {max(values):.2f}"
        )
    slow = sorted(rows, key=lambda r: -r[0])[: max(1, n // 100)]
    print(
        f"  the slowest 1% ({len(slow)}): a gen2 collection inside {sum(any(g == 2 for g, _ in r[2]) for r in slow)},"
        f" statements {sorted(r[1] for r in slow)}"
    )


def pace(delay: str, rounds: int, seconds: float, port: int) -> None:
    import harness
    import seed

    env = server_env()
    lua = {**env, "BENCH_DATA": str(WORK), "BENCH_LUA": str(harness.LUA), "BENCH_PASSWORD": seed.PASSWORD}
    venv = WORK / "venv" / "bin"
    binary = venv if (venv / "s2cart").exists() else Path(sys.executable).parent
    command = [str(binary / "s2cart"), "serve", "--workers", "2", "--port", str(port)]
    server = harness.start("s2cart", command, env, port, "/api/auth/live/", WORK / "half_rate_tail.log")
    try:
        for _ in range(rounds):
            for start, stagger in (("burst", "0"), ("staggered", "1")):
                paced = {**lua, "BENCH_DELAY_MS": delay, "BENCH_STAGGER": stagger, "BENCH_CONNECTIONS": "64"}
                r = harness.wrk_result(harness.run_wrk("carts.lua", server.base, 64, seconds, paced))
                print(
                    f"{start:<10} {r['rps']:7.1f} req/s  p50 {r['p50_ms']:6.2f}  p90 {r['p90_ms']:6.2f}  "
                    f"p99 {r['p99_ms']:7.2f}  max {r['max_ms']:7.2f} ms  (load average {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
    finally:
        server.stop()


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "cpu":
        asyncio.run(cpu(int(rest[0]) if rest else 3000))
    else:
        pace(
            rest[0],
            int(rest[1]) if len(rest) > 1 else 2,
            float(rest[2]) if len(rest) > 2 else 10,
            int(rest[3]) if len(rest) > 3 else 8430,
        )
