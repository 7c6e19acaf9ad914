"""Where the paced GET /carts/ tail goes: per-request latency next to what happened in the worker meanwhile.

Runs after ``bench/run.py`` (reuses bench/.work/). The S2Cart app runs in this process (httpx's ASGI transport,
no network, no wrk), driven as the bench's ``carts_half_rate`` drives one worker: CLIENTS connections, each
sending ``GET /api/auth/carts/`` as a random user, waiting DELAY ms after each answer (wrk's ``delay()``).
``--start burst``: every connection sends its first request at once, as wrk does (each connection's first
request is delayed by the same DELAY); ``--start staggered``: the first request of each connection is spread
uniformly over the first DELAY ms. Recorded meanwhile: event-loop lag (a 1 ms ticker), garbage collections
(``gc.callbacks``), the session activity touch (the once-a-minute ``last_activity`` write), waits for a pooled
connection and the access log's write. Each of the slowest 1% of requests is attributed to what overlapped it.

    .venv/bin/python bench/half_rate_tail.py [--clients 32] [--delay 110] [--seconds 10] [--start burst|staggered]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
Span = tuple[float, float]  # start, end (perf_counter seconds)


class Recorder:
    def __init__(self) -> None:
        self.gc: list[Span] = []
        self.lag: list[Span] = []  # (when the tick was due, when it ran) for ticks late by more than 2 ms
        self.touch: list[Span] = []
        self.pool_wait: list[Span] = []
        self.log: list[Span] = []
        self._gc_started = 0.0

    def on_gc(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc.append((self._gc_started, time.perf_counter()))


def timed(target: object, name: str, into: list[Span], is_async: bool) -> None:
    original = getattr(target, name)
    if is_async:

        async def wrapper(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                into.append((started, time.perf_counter()))
    else:

        def wrapper(*args: object, **kwargs: object) -> object:  # type: ignore[misc]
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                into.append((started, time.perf_counter()))

    setattr(target, name, wrapper)


async def drive(args: argparse.Namespace) -> None:
    for line in (WORK / "server.env").read_text().splitlines():
        key, _, value = line.partition("=")
        os.environ[key] = value
    import httpx

    from s2cart.adapters.persistence.fair_pool import FairAsyncQueuePool
    from s2cart.adapters.persistence.readers.session_lookup import SqlAlchemySessionLookup
    from s2cart.entrypoints.http.app import create_app
    from s2cart.entrypoints.settings import Settings

    rec = Recorder()
    timed(SqlAlchemySessionLookup, "touch", rec.touch, is_async=True)
    timed(FairAsyncQueuePool, "_do_get", rec.pool_wait, is_async=False)
    app = create_app(Settings.from_env())
    access = logging.getLogger("s2cart.access")
    for handler in logging.getLogger().handlers + access.handlers:
        if hasattr(handler, "stream"):
            handler.stream = open(os.devnull, "w")  # noqa: SIM115 - the log line is written, then dropped
        timed(handler, "emit", rec.log, is_async=False)
    gc.callbacks.append(rec.on_gc)
    rng = random.Random(3)
    tokens = (WORK / "access.txt").read_text().split()
    requests: list[tuple[float, float, int]] = []  # sent, latency ms, round of that connection
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))  # type: ignore[arg-type]
    delay = args.delay / 1000
    stop = asyncio.Event()

    async def ticker() -> None:
        while not stop.is_set():
            due = time.perf_counter() + 0.001
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            if now - due > 0.002:
                rec.lag.append((due, now))

    async def connection(http: httpx.AsyncClient, deadline: float, first: float) -> None:
        await asyncio.sleep(first)
        n = 0
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            answer = await http.get("/api/auth/carts/", headers={"Authorization": f"Bearer {rng.choice(tokens)}"})
            assert answer.status_code == 200, answer.text[:200]
            requests.append((sent, (time.perf_counter() - sent) * 1000, n))
            n += 1
            await asyncio.sleep(delay)

    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://bench") as http:  # type: ignore[attr-defined]
        for _ in range(100):  # warm-up: pools, caches
            await http.get("/api/auth/carts/", headers={"Authorization": f"Bearer {rng.choice(tokens)}"})
        # The bench runs the paced scenario right after carts_get, so sessions are touched and cached as here.
        tick = asyncio.create_task(ticker())
        started = time.perf_counter()
        deadline = started + args.seconds
        firsts = [delay if args.start == "burst" else rng.uniform(0, delay) for _ in range(args.clients)]
        await asyncio.gather(*(connection(http, deadline, f) for f in firsts))
        stop.set()
        await tick
    gc.callbacks.remove(rec.on_gc)
    report(args, requests, rec, time.perf_counter() - started)


def overlaps(spans: list[Span], start: float, end: float, at_least: float = 0.0) -> float:
    """Milliseconds of ``spans`` (each at least ``at_least`` s long) inside [start, end]."""
    total = 0.0
    for a, b in spans:
        if b - a >= at_least and b > start and a < end:
            total += min(b, end) - max(a, start)
    return total * 1000


def report(args: argparse.Namespace, requests: list[tuple[float, float, int]], rec: Recorder, took: float) -> None:
    latencies = sorted(r[1] for r in requests)
    q = statistics.quantiles(latencies, n=100)
    print(
        f"start={args.start} clients={args.clients} delay={args.delay} ms: {len(requests) / took:.1f} req/s  "
        f"p50 {q[49]:.1f}  p90 {q[89]:.1f}  p99 {q[98]:.1f}  max {latencies[-1]:.1f} ms  ({len(requests)} requests)"
    )
    gcs = [b - a for a, b in rec.gc]
    print(
        f"  gc: {len(gcs)} collections, longest {max(gcs, default=0) * 1000:.2f} ms, total {sum(gcs) * 1000:.1f} ms;"
        f" loop late >2 ms: {len(rec.lag)} times, longest {max((b - a for a, b in rec.lag), default=0) * 1000:.1f} ms;"
        f" touches: {len(rec.touch)}; pool waits >1 ms: {sum(1 for a, b in rec.pool_wait if b - a > 0.001)}"
        f" (longest {max((b - a for a, b in rec.pool_wait), default=0) * 1000:.1f} ms);"
        f" log writes longest {max((b - a for a, b in rec.log), default=0) * 1000:.2f} ms"
    )
    cut = q[98]
    slow = [r for r in requests if r[1] >= cut]
    first_round = sum(1 for r in slow if r[2] == 0)
    print(f"  slowest 1% ({len(slow)} requests, >= {cut:.1f} ms): {first_round} were their connection's first request")
    ms = {"gc": 0.0, "pool wait": 0.0, "touch": 0.0, "log": 0.0}
    for sent, latency, _n in slow:
        end = sent + latency / 1000
        ms["gc"] += overlaps(rec.gc, sent, end)
        ms["pool wait"] += overlaps(rec.pool_wait, sent, end, 0.0005)
        ms["touch"] += overlaps(rec.touch, sent, end)
        ms["log"] += overlaps(rec.log, sent, end)
    total = sum(r[1] for r in slow)
    shares = ", ".join(f"{k} {v / total:.1%}" for k, v in ms.items())
    print(f"  of those requests' {total:.0f} ms in all, time overlapped by: {shares}")
    buckets: dict[int, list[float]] = {}
    for _sent, latency, n in requests:
        buckets.setdefault(min(n, 3), []).append(latency)
    for n, values in sorted(buckets.items()):
        label = f"round {n}" if n < 3 else "rounds 3+"
        print(
            f"  {label:<10} {len(values):5d} requests  p50 {statistics.median(values):6.1f}  max {max(values):6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--delay", type=float, default=110)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--start", choices=("burst", "staggered"), default="burst")
    asyncio.run(drive(parser.parse_args()))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
