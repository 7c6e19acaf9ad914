"""``make bench``: S2Cart against this machine's PostgreSQL and Redis, load from wrk, ratios to the ceilings.

Not a test: it prints a table and writes bench/results/<timestamp>.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis

from s2cart.entrypoints.container import build_container, close_resources
from s2cart.entrypoints.serve import available_cores
from s2cart.entrypoints.settings import Settings

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import browse_replicas  # noqa: E402
import catalog_file  # noqa: E402
import harness  # noqa: E402
import report  # noqa: E402
import seed  # noqa: E402
from scenarios import (  # noqa: E402
    MIXED_CART_CONNECTIONS,
    MIXED_SIGNIN_CONNECTIONS,
    PRODUCT_SCENARIOS,
    REFERENCES,
    S2CART,
    SEARCH_PRODUCTS,
    SEARCH_STORES,
    UNCACHED_SEARCH,
    Scenario,
)

BIN = Path(sys.executable).parent
WORK = HERE / ".work"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres", help="server to use")
    parser.add_argument("--database", default="s2cart_bench", help="dropped and created by every run")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="flushed by every run")
    parser.add_argument("--workers", type=int, default=available_cores())
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--refresh-sessions", type=int, default=512)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="repeat each ceiling/scenario pair N times and report the medians (every round is kept in the JSON)",
    )
    parser.add_argument("--multiplier", default="10000", help="S2CART_RATE_LIMIT_MULTIPLIER")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="comma-separated scenario names (default: all)")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the servers (repeatable)")
    parser.add_argument(
        "--server-venv",
        default=str(WORK / "venv"),
        help="S2Cart's server runs from this virtualenv, made and kept up to date with `pip install -e .` without "
        "the dev extras, as it is deployed ('' = this interpreter's environment, with the test tools)",
    )
    parser.add_argument(
        "--paced-start",
        choices=("staggered", "burst"),
        default="staggered",
        help="the half-rate runs: each connection's first request at a random point of the first pacing period and "
        "each delay drawn from [delay/2, 3*delay/2] (staggered), or wrk's delay() alone: every connection's first "
        "request at once after one period, a fixed delay after each answer (burst)",
    )
    parser.add_argument("--profile", default="", help="py-spy one worker during these scenarios (comma-separated)")
    parser.add_argument(
        "--activity", action="store_true", help="sample pg_stat_activity (lock, WAL and app waits) in each scenario"
    )
    return parser.parse_args()


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        return
    raise SystemExit("wrk is needed: apt-get install wrk (as root)")


def server_bin(args: argparse.Namespace) -> Path:
    """Where ``s2cart`` is run from: a virtualenv with S2Cart's own dependencies only, as the image installs it.

    Test tools installed beside S2Cart are imported by its dependencies when present (dependency_injector imports
    werkzeug and pydantic, brought by schemathesis and openapi-python-client; Litestar loads its attrs plugin when
    attrs is installed): 13 MiB a worker that no deployment carries (bench/README.md, issue 20)."""
    if not args.server_venv:
        return BIN
    venv = Path(args.server_venv)
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # Editable: source changes need no reinstall; a change of pyproject.toml (dependencies) does.
    stamp, wanted = venv / "s2cart-pyproject.sha256", hashlib.sha256((HERE.parent / "pyproject.toml").read_bytes())
    if not (venv / "bin" / "s2cart").exists() or not stamp.exists() or stamp.read_text() != wanted.hexdigest():
        install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-e", str(HERE.parent)]
        done = subprocess.run(install, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"{' '.join(install)} failed:\n{done.stdout}{done.stderr}")
        stamp.write_text(wanted.hexdigest())
    return venv / "bin"


def fresh_database(args: argparse.Namespace) -> str:
    with psycopg.connect(args.pg, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    host = args.pg.split("://", 1)[1].rsplit("/", 1)[0]
    return f"postgresql+psycopg://{host}/{args.database}"


def server_env(args: argparse.Namespace, database_url: str, secret: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("S2CART_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(
        {
            "S2CART_ENV": "prod",
            "S2CART_DATABASE_URL": database_url,
            "S2CART_JWT_SECRET": secret,
            "S2CART_PUBLIC_BASE_URL": "https://bench.s2cart.local",
            "S2CART_SMTP_HOST": "127.0.0.1",
            "S2CART_REDIS_URL": args.redis,
            "S2CART_RATE_LIMIT_ENABLED": "true",
            "S2CART_RATE_LIMIT_STORAGE": args.redis,
            "S2CART_RATE_LIMIT_MULTIPLIER": args.multiplier,
            "S2CART_CART_MAX_QUANTITY": "10000",  # merges add a unit each; lines must not fill up mid-run
            "S2CART_LOG_FORMAT": "json",
            "S2CART_LOG_LEVEL": "INFO",
        }
    )
    env.update(pair.split("=", 1) for pair in args.env)
    return env


def argon2_hashes_per_second(settings: Settings, threads: int, seconds: float = 3.0) -> float:
    """What argon2 allows right now: ``threads`` hashing flat out (argon2-cffi releases the GIL), measured
    just before the sign-in scenario so both see the same machine load.

    In a fresh interpreter that imports argon2 alone: this process has built S2Cart's container for seeding,
    and S2Cart's hasher changes how glibc allocates large blocks process-wide (it unmaps argon2's buffer
    after each hash), which made hashes here 15% slower than argon2 allows and flattered the ratio."""
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            _ARGON2_PROBE,
            str(settings.argon2_time_cost),
            str(settings.argon2_memory_kib),
            str(settings.argon2_parallelism),
            str(threads),
            str(seconds),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(output.strip())


_ARGON2_PROBE = """
import sys, time
from concurrent.futures import ThreadPoolExecutor
from argon2 import PasswordHasher
time_cost, memory, parallelism, threads = (int(v) for v in sys.argv[1:5])
seconds = float(sys.argv[5])
hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory, parallelism=parallelism)
hasher.hash("warm-up")
deadline = time.perf_counter() + seconds
def work(_):
    done = 0
    while time.perf_counter() < deadline:
        hasher.hash("password")
        done += 1
    return done
started = time.perf_counter()
with ThreadPoolExecutor(threads) as pool:
    total = sum(pool.map(work, range(threads)))
print(total / (time.perf_counter() - started))
"""


def measure(scenario: Scenario, server: harness.Server, args: argparse.Namespace, env: dict[str, str]) -> dict:
    lua_env = {**os.environ, **env, **scenario.env}
    connections = scenario.connections or args.connections
    if scenario.warmup and args.warmup > 0:
        harness.wrk_result(harness.run_wrk(scenario.script, server.base, connections, args.warmup, lua_env))
    sampler = harness.ActivitySampler(args.pg, args.database)
    searching = scenario.script == "products.lua"
    lookups = search_cache_lookups(server) if searching else None
    rankings = ranking_lookups(server) if searching else {}
    with (
        harness.RssSampler(server) as rss,
        harness.profiled(scenario.name, server, args, WORK),
        sampler if args.activity else contextlib.nullcontext(),
    ):
        result = harness.wrk_result(harness.run_wrk(scenario.script, server.base, connections, args.seconds, lua_env))
    if args.activity:
        result["db_activity"] = sampler.summary()
        print(f"  {'':<18} database backends, mean per sample: {result['db_activity']}", flush=True)
    result["connections"] = connections
    result["peak_rss_mb"] = {str(pid): round(mb, 1) for pid, mb in sorted(rss.peaks.items())}
    cached = ""
    if lookups is not None:
        after = search_cache_lookups(server)
        if after is not None:
            hits, misses = after[0] - lookups[0], after[1] - lookups[1]
            result["search_cache"] = {"hits": hits, "misses": misses, "hit_rate": round(hits / (hits + misses), 3)
                                      if hits + misses else None}  # fmt: skip
            cached = "" if hits + misses == 0 else f"  search cache hits {result['search_cache']['hit_rate']}"
    if rankings:
        counted = {k: v - rankings.get(k, 0.0) for k, v in ranking_lookups(server).items()}
        read = counted.get("hit", 0) + counted.get("miss", 0) + counted.get("stale", 0)
        result["search_rankings"] = {**counted, "hit_rate": round(counted.get("hit", 0) / read, 3) if read else None}
        cached += f"  rankings {result['search_rankings']}"
    print(
        f"  {scenario.name:<18} {result['rps']:>9.1f} req/s  p50 {result['p50_ms']:.2f} ms  "
        f"p99 {result['p99_ms']:.2f} ms  errors {result['errors']}{cached}",
        flush=True,
    )
    return result


def search_cache_lookups(server: harness.Server) -> tuple[float, float] | None:
    """(hits, misses) of the product search cache so far, summed over the server's workers (its /metrics); None
    when the server does not count them (before decision 0047)."""
    counts = lookups_by_result(server, "s2cart_search_cache_lookups_total")
    return (counts["hit"], counts["miss"]) if {"hit", "miss"} <= counts.keys() else None


def ranking_lookups(server: harness.Server) -> dict[str, float]:
    """Kept search rankings' lookups so far by result (hit, miss, stale, bypass), summed over the workers; empty
    when the server does not count them (before decision 0052)."""
    return lookups_by_result(server, "s2cart_search_rankings_lookups_total")


def lookups_by_result(server: harness.Server, counter: str) -> dict[str, float]:
    """A counter labelled by ``result`` as the server's /metrics reads now, by result; empty when it has none."""
    status, body = harness.get(server.base + "/metrics")
    counts = {}
    for line in body.decode().splitlines() if status == 200 else ():
        if line.startswith(counter + "{"):
            counts[line.split('result="', 1)[1].split('"', 1)[0]] = float(line.rsplit(" ", 1)[1])
    return counts


def uncached_search(args: argparse.Namespace, env: dict[str, str], lua_env: dict[str, str]) -> dict:
    """``products_search_1`` again, right after it, on a server of its own started with
    S2CART_SEARCH_CACHE_SECONDS=0: every search read from PostgreSQL, the figure the cache is to be judged by."""
    server = harness.start(
        "s2cart, search cache off",
        [str(args.server_bin / "s2cart"), "serve", "--workers", str(args.workers), "--port", str(args.port + 3)],
        {**env, "S2CART_SEARCH_CACHE_SECONDS": "0"},
        args.port + 3,
        "/api/auth/live/",
        WORK / "s2cart-uncached.log",
    )
    try:
        return measure(UNCACHED_SEARCH, server, args, lua_env)
    finally:
        server.stop()


def main() -> int:
    args = arguments()
    only = {name for name in args.only.split(",") if name}
    ensure_wrk()
    args.server_bin = server_bin(args)
    print(f"s2cart runs from {args.server_bin}")
    secret = secrets.token_urlsafe(48)
    database_url = fresh_database(args)
    redis.Redis.from_url(args.redis).flushdb()
    env = server_env(args, database_url, secret)
    subprocess.run([args.server_bin / "s2cart", "db", "upgrade"], env=env, check=True, capture_output=True)
    settings = Settings.from_env(env)

    searching = not only or bool(only & set(PRODUCT_SCENARIOS))

    async def seeding() -> seed.Seeded:
        container = build_container(settings)
        try:
            seeded = await seed.seed(container, args.users, args.refresh_sessions, random.Random(2026))
            if searching:
                seeded.notes.append(await load_search_catalog(container))
            return seeded
        finally:
            await close_resources(container)

    started = time.perf_counter()
    seeded = asyncio.run(seeding())
    seed.write_files(seeded, WORK)
    # Planner statistics and the visibility map, as autovacuum would leave them on a live database (since
    # PostgreSQL 13 it vacuums insert-only tables too; this server runs with autovacuum off). Without statistics
    # PostgreSQL estimates the freshly loaded tables as tiny and scans all 45,000 cart lines for one user's carts;
    # without the visibility map no index-only scan is possible, and the order pages' deferred join sorts all
    # 10,000 orders of the user instead of walking the index.
    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    (WORK / "server.env").write_text("".join(f"{k}={v}\n" for k, v in env.items() if k.startswith("S2CART_")))
    print(f"seeded {seeded.users} users, {len(seeded.lines)} cart lines in {time.perf_counter() - started:.1f} s")
    for note in seeded.notes:
        print(f"  {note}")
    one = argon2_hashes_per_second(settings, 1, 2.0)
    print(f"argon2id ({settings.argon2_memory_kib} KiB, t={settings.argon2_time_cost}): {1000 / one:.1f} ms a hash")
    argon2 = {"ms_per_hash": round(1000 / one, 2)}

    lua_env = {"BENCH_DATA": str(WORK), "BENCH_LUA": str(harness.LUA), "BENCH_PASSWORD": seed.PASSWORD}
    results: dict[str, dict] = {}
    skipped: dict[str, str] = {}

    # Both servers stay up; each ceiling is measured just before the S2Cart scenario it is the ceiling of,
    # so a change in the machine's load (it is shared) between phases does not skew the ratio.
    ref = harness.start(
        "reference",
        [sys.executable, str(HERE / "reference_server.py"), str(args.port + 1), str(args.workers)],
        {**env, "PYTHONPATH": str(HERE)},
        args.port + 1,
        "/ref/json",
        WORK / "reference.log",
    )
    # Its connections are named, so --activity can tell them from the reference server's.
    tagged = f"{database_url}?application_name={harness.ActivitySampler.APP_NAME}"
    s2cart = harness.start(
        "s2cart",
        [str(args.server_bin / "s2cart"), "serve", "--workers", str(args.workers), "--port", str(args.port)],
        {**env, "S2CART_DATABASE_URL": tagged},
        args.port,
        "/api/auth/live/",
        WORK / "s2cart.log",
    )
    references = {scenario.name: scenario for scenario in REFERENCES}
    try:
        status, body = harness.get(s2cart.base + "/api/docs/openapi.json")
        routes = body.decode() if status == 200 else ""
        print(f"s2cart serve --workers {args.workers}, and the reference app on the same settings")
        for scenario in S2CART:
            if only and scenario.name not in only:
                continue
            # OpenAPI names paths without their trailing slash.
            if scenario.requires_route and f'"{scenario.requires_route.rstrip("/")}"' not in routes:
                skipped[scenario.name] = f"{scenario.requires_route} is not served yet"
                print(f"  {scenario.name:<18} skipped: {skipped[scenario.name]}")
                continue
            ceilings: list[dict] = []
            runs: list[dict] = []
            capacities: list[float] = []
            for _ in range(args.rounds):
                if scenario.ceiling:
                    ceilings.append(measure(references[scenario.ceiling], ref, args, lua_env))
                if scenario.name == "jwt_signin":
                    capacities.append(round(argon2_hashes_per_second(settings, available_cores()), 1))
                    print(f"  argon2 on {available_cores()} threads now: {capacities[-1]} hashes/s")
                run = measure(scenario, s2cart, args, lua_env)
                if ceilings:
                    run["ceiling_rps"] = ceilings[-1]["rps"]
                    run["ratio"] = round(run["rps"] / ceilings[-1]["rps"], 3) if ceilings[-1]["rps"] else None
                if capacities:
                    run["argon2_capacity_per_s"] = capacities[-1]
                    run["ratio"] = round(run["rps"] / capacities[-1], 3)
                runs.append(run)
            results[scenario.name] = medians(scenario.name, runs)
            if ceilings:
                combined = medians(scenario.ceiling or "", ceilings)
                results.setdefault(scenario.ceiling or "", combined)
                results[scenario.name]["ceiling_rps"] = combined["rps"]
            if capacities:
                argon2["capacity_per_s"] = statistics.median(capacities)
            if scenario.name == "products_search_1":
                results[UNCACHED_SEARCH.name] = uncached_search(args, env, lua_env)  # one round, whatever --rounds
        if "carts_get" in results:
            half = results["carts_get"]["rps"] / 2
            paced = Scenario("carts_half_rate", "s2cart", "carts.lua", warmup=False)
            delay = max(1, round(args.connections * 1000 / half))
            paced_env = {**lua_env, **pacing(args, delay)}
            runs = [measure(paced, s2cart, args, paced_env) for _ in range(args.rounds)]
            results[paced.name] = medians(paced.name, runs)
            results[paced.name]["target_rps"] = round(half, 1)
            results[paced.name]["start"] = args.paced_start
        if "products_search_1" in results:
            half = results["products_search_1"]["rps"] / 2
            paced = Scenario("products_half_rate", "s2cart", "products.lua", {"BENCH_WORDS": "1"}, warmup=False)
            delay = max(1, round(args.connections * 1000 / half))
            paced_env = {**lua_env, **pacing(args, delay)}
            runs = [measure(paced, s2cart, args, paced_env) for _ in range(args.rounds)]
            results[paced.name] = medians(paced.name, runs)
            results[paced.name]["target_rps"] = round(half, 1)
            results[paced.name]["start"] = args.paced_start
        if not only or "mixed" in only:
            rounds = [mixed(s2cart, args, lua_env) for _ in range(args.rounds)]
            results.update({name: medians(name, [r[name] for r in rounds]) for name in rounds[0]})
        if not only or "browse_replica" in only:
            results.update(browse_replicas.browse_with_and_without_replica(args, env, lua_env, WORK, measure))
        rss_now = {str(pid): round(harness.rss_mb(pid), 1) for pid in s2cart.workers()}
        # The kernel's own peak (VmHWM) of each worker since it started: no sample can miss it.
        hwm = {str(pid): round(harness.rss_mb(pid, "VmHWM"), 1) for pid in s2cart.workers()}
        print(f"peak RSS per worker (VmHWM, MiB): {hwm}")
    finally:
        exit_code = s2cart.stop()
        ref.stop()
    summary = report.build(args, results, skipped, argon2, settings, seeded, exit_code, rss_now)
    report.print_table(summary)
    path = report.write(summary, HERE / "results")
    print(f"\nwritten {path.relative_to(HERE.parent)}")
    return 0


def pacing(args: argparse.Namespace, delay: int) -> dict[str, str]:
    """The Lua settings of a paced run (lua/common.lua): ``delay`` ms between an answer and the connection's next
    request, and how the connections start (bench/README.md, "the half-rate tail")."""
    stagger = "1" if args.paced_start == "staggered" else "0"
    return {"BENCH_DELAY_MS": str(delay), "BENCH_STAGGER": stagger, "BENCH_CONNECTIONS": str(args.connections)}


MEDIAN_FIGURES = ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms")


def medians(name: str, runs: list[dict]) -> dict:
    """One scenario's result over its rounds: the median of each figure (req/s, p50, p90, p99, max), the sum
    of requests and errors, each worker's highest peak RSS, and every round's own figures under "rounds"."""
    out = {key: value for key, value in runs[0].items() if key not in ("db_activity", "ceiling_rps", "ratio")}
    for key in MEDIAN_FIGURES:
        out[key] = round(statistics.median(run[key] for run in runs), 3)
    for key in ("requests", "errors", "non_2xx"):
        out[key] = sum(run[key] for run in runs)
    peaks: dict[str, float] = {}
    for run in runs:
        for pid, mb in run.get("peak_rss_mb", {}).items():
            peaks[pid] = max(mb, peaks.get(pid, 0.0))
    out["peak_rss_mb"] = peaks
    out["rounds"] = runs
    if len(runs) > 1:
        print(
            f"  {name:<18} {out['rps']:>9.1f} req/s  p50 {out['p50_ms']:.2f} ms  p99 {out['p99_ms']:.2f} ms  "
            f"(median of {len(runs)} rounds)",
            flush=True,
        )
    return out


async def load_search_catalog(container: object) -> str:
    """The products scenarios' catalog, through S2Cart's own loader (the path `s2cart catalog load` takes)."""
    from s2cart.application.catalog.catalog_document import parse_catalog_document

    started = time.perf_counter()
    document = parse_catalog_document(catalog_file.catalog(SEARCH_STORES, SEARCH_PRODUCTS, prefix="shop_"))
    await container.load_catalog()(document)  # type: ignore[attr-defined]
    items, qualities = catalog_file.search_words()
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "search_items.txt").write_text("\n".join(items) + "\n")
    (WORK / "search_qualities.txt").write_text("\n".join(qualities) + "\n")
    shop = catalog_file.shop_searches()
    (WORK / "search_shop.txt").write_text("".join(f"{share:.8f} {path}\n" for share, path in shop))
    took = time.perf_counter() - started
    return f"search catalog: {SEARCH_PRODUCTS:,} products over {SEARCH_STORES} stores parsed and loaded in {took:.1f} s"


def mixed(server: harness.Server, args: argparse.Namespace, lua_env: dict[str, str]) -> dict[str, dict]:
    idle = Scenario("mixed_carts_idle", "s2cart", "carts.lua", connections=MIXED_CART_CONNECTIONS)
    out = {idle.name: measure(idle, server, args, lua_env)}
    env = {**os.environ, **lua_env}
    with harness.RssSampler(server) as rss:
        storm = harness.run_wrk("signin.lua", server.base, MIXED_SIGNIN_CONNECTIONS, args.seconds + 2, env)
        time.sleep(1)  # the storm is under way before carts are timed
        carts = harness.run_wrk("carts.lua", server.base, MIXED_CART_CONNECTIONS, args.seconds, env)
        out["mixed_carts_storm"] = harness.wrk_result(carts)
        out["mixed_signin_storm"] = harness.wrk_result(storm)
    for name in ("mixed_carts_storm", "mixed_signin_storm"):
        out[name]["peak_rss_mb"] = {str(pid): round(mb, 1) for pid, mb in sorted(rss.peaks.items())}
        r = out[name]
        print(
            f"  {name:<18} {r['rps']:>9.1f} req/s  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  "
            f"errors {r['errors']}",
            flush=True,
        )
    return out


if __name__ == "__main__":
    raise SystemExit(main())
