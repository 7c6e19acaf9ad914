"""The bench's table and JSON: every figure, its ratio to the matching ceiling, and each target's verdict."""

from __future__ import annotations

import json
import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from scenarios import REFERENCES, S2CART, TARGETS

CEILINGS = {s.name: s.ceiling for s in S2CART if s.ceiling} | {"carts_half_rate": None, "products_half_rate": None}


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    pg = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "show server_version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    redis = subprocess.run(["redis-cli", "info", "server"], capture_output=True, text=True, check=False).stdout
    redis_version = next(
        (line.split(":")[1].strip() for line in redis.splitlines() if line.startswith("redis_version")), "?"
    )
    return {
        "cpu": cpu,
        "cores": len(__import__("os").sched_getaffinity(0)),
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": pg,
        "redis": redis_version,
        "packages": {
            p: version(p)
            for p in (
                "litestar",
                "uvicorn",
                "uvloop",
                "httptools",
                "sqlalchemy",
                "psycopg",
                "msgspec",
                "redis",
                "argon2-cffi",
            )
        },
    }


def build(
    args: Any,
    results: dict[str, dict],
    skipped: dict[str, str],
    argon2: dict[str, float],
    settings: Any,
    seeded: Any,
    exit_code: int,
    rss_after: dict[str, float],
) -> dict[str, Any]:
    for name, ceiling in CEILINGS.items():
        if name in results and ceiling in results:
            results[name]["ceiling"] = ceiling
            ceiling_rps = results[name].get("ceiling_rps", results[ceiling]["rps"])  # measured just before it
            results[name]["ratio"] = round(results[name]["rps"] / ceiling_rps, 3)
    argon2_capacity = argon2.get("capacity_per_s")
    if "jwt_signin" in results and argon2_capacity:
        results["jwt_signin"]["ceiling"] = "argon2 capacity"
        results["jwt_signin"]["ratio"] = round(results["jwt_signin"]["rps"] / argon2_capacity, 3)
    verdicts: dict[str, Any] = {}

    def verdict(key: str, value: float | None, ok: bool | None) -> None:
        verdicts[key] = {"target": TARGETS[key], "value": value, "met": ok}

    for name, key, floor in (
        ("carts_get", "carts_get_ratio", 0.70),
        ("cart_items_post", "cart_items_post_ratio", 0.5),
        ("jwt_refresh", "jwt_refresh_ratio", 0.5),
        ("jwt_signin", "jwt_signin_ratio", 0.9),
    ):
        ratio = results.get(name, {}).get("ratio")
        verdict(key, ratio, None if ratio is None else ratio >= floor)
    search, carts = results.get("products_search_1"), results.get("carts_get")
    search_ratio = round(search["rps"] / carts["rps"], 3) if search and carts else None
    for name in ("products_search_1", "products_search_1_uncached", "products_search_2"):
        if name in results and carts:
            results[name]["of_carts_get"] = round(results[name]["rps"] / carts["rps"], 3)
    verdict("products_search_ratio", search_ratio, None if search_ratio is None else search_ratio >= 0.5)
    search_half = _paced_p99(results, "products_half_rate")
    verdict("products_half_rate_p99", search_half, None if search_half is None else search_half < 50)
    half = _paced_p99(results, "carts_half_rate")
    verdict("carts_half_rate_p99", half, None if half is None else half < 50)
    idle, storm = results.get("mixed_carts_idle"), results.get("mixed_carts_storm")
    mixed = round(storm["p99_ms"] / idle["p99_ms"], 2) if idle and storm else None
    verdict("mixed_p99_ratio", mixed, None if mixed is None else mixed <= 2)
    p1, p500 = results.get("orders_page_1"), results.get("orders_page_500")
    pages = round(p500["p50_ms"] / p1["p50_ms"], 2) if p1 and p500 else None
    verdict("orders_page_ratio", pages, None if pages is None else pages <= 1.5)
    peaks = [mb for name, r in results.items() if not name.startswith("ref_") for mb in r["peak_rss_mb"].values()]
    verdict("peak_rss", max(peaks) if peaks else None, max(peaks) < 150 if peaks else None)
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "setup": {
            "workers": args.workers,
            "connections": args.connections,
            "seconds": args.seconds,
            "rounds": args.rounds,  # each figure a median over the rounds; every round under scenarios.*.rounds
            "server": "s2cart serve (uvicorn, uvloop, httptools)",
            "load_generator": "wrk -t1, pinned with taskset -c 1",
            "rate_limits": f"enabled, Redis {args.redis}, multiplier {args.multiplier}",
            "database_pool": f"{settings.database_pool_size}+{settings.database_max_overflow} per worker, "
            f"reads 2 x {settings.database_read_pool_size}",
            "users": seeded.users,
            "cart_lines": len(seeded.lines),
            "argon2_ms_per_hash": argon2["ms_per_hash"],
            "argon2_capacity_per_s": argon2_capacity,
            "server_exit_code": exit_code,
            "worker_rss_after_mb": rss_after,
        },
        "scenarios": results,
        "skipped": skipped,
        "targets": verdicts,
    }


def _paced_p99(results: dict[str, Any], name: str) -> float | None:
    """A paced scenario's p99, or None when no request finished in it (a pacing delay longer than the run,
    as on a starved machine with --seconds 3): an empty run measured nothing, it did not meet the target."""
    result = results.get(name)
    return result["p99_ms"] if result and result.get("rps") else None


def print_table(summary: dict[str, Any]) -> None:
    rounds = summary["setup"].get("rounds", 1)
    if rounds > 1:
        print(f"\nmedians of {rounds} rounds (each ratio: median req/s over the median of its ceiling's rounds)")
    print(f"\n{'scenario':<20}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'RSS MB':>8}  ratio")
    order = (
        [s.name for s in REFERENCES]
        + [s.name for s in S2CART]
        + ["products_search_1_uncached"]
        + ["carts_half_rate", "products_half_rate", "mixed_carts_idle", "mixed_carts_storm", "mixed_signin_storm"]
        + ["browse_primary_only", "browse_with_replica"]
    )
    for name in order:
        r = summary["scenarios"].get(name)
        if r is None:
            if name in summary["skipped"]:
                print(f"{name:<20}  skipped: {summary['skipped'][name]}")
            continue
        rss = max(r["peak_rss_mb"].values(), default=0.0)
        ratio = f"{r['ratio']:.2f} of {r['ceiling']}" if "ratio" in r else ""
        if "primary_cpu_ms_per_request" in r:
            ratio = f"primary CPU {r['primary_cpu_ms_per_request']} ms/request ({r['primary_cpu_percent']}% of a core)"
            if "primary_cpu_per_request_ratio" in r:
                ratio += f", {r['primary_cpu_per_request_ratio']:.2f}x without the standby"
        if "ceiling_rps" in r:
            ratio += f" ({r['ceiling_rps']:.0f}/s just before)"
        if "of_carts_get" in r:
            ratio += f"{r['of_carts_get']:.2f} of carts_get"
        if r.get("search_cache") and r["search_cache"]["hit_rate"] is not None:
            ratio += f"{', ' if ratio else ''}search cache hit rate {r['search_cache']['hit_rate']}"
        print(f"{name:<20}{r['rps']:>10.1f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['errors']:>8}{rss:>8.1f}  {ratio}")
    print()
    for key, v in summary["targets"].items():
        mark = {True: "met", False: "MISSED", None: "not measured"}[v["met"]]
        print(f"{key:<24}{mark:<14}{v['value']!s:<10}{v['target']}")


def write(summary: dict[str, Any], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{summary['when'].replace(':', '').replace('+0000', 'Z')}.json"
    path.write_text(json.dumps(summary, indent=2) + "\n")
    return path
