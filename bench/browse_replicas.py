"""The browse-heavy mix with and without a read replica: where the primary's CPU goes (issue 22).

A primary and a streaming standby of the bench's own (tests/integration/replication/cluster.py, ports 55436
and 55437: the machine's cluster is never touched), a catalog of BROWSE_PRODUCTS products loaded through
S2Cart's own loader, then the same wrk mix (lua/browse.lua) against ``s2cart serve`` twice: on the primary
alone, and with S2CART_DATABASE_READ_URL naming the standby. The CPU time of each cluster's processes (the
postmaster, its live backends and the children it reaped) is read from /proc before and after each run, so
the figure is the CPU PostgreSQL spent, whatever else the machine was doing meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import harness
from scenarios import Scenario

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.integration.replication.cluster import Cluster, replicated_clusters  # noqa: E402

PRIMARY_PORT, REPLICA_PORT = 55436, 55437
BROWSE_STORES, BROWSE_PRODUCTS, PREFIX = 50, 20_000, "browse_"
TICK = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICK


IDLE_SECONDS = 3.0


def cluster_cpu_seconds(cluster: Cluster) -> float:
    """CPU seconds of a cluster's processes so far: the postmaster with its reaped children, and its live ones."""
    postmaster = int((cluster.directory / "postmaster.pid").read_text().split()[0])
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
        elif ppid == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / TICK


async def _load(database_url: str) -> None:
    import catalog_file

    from s2cart.application.catalog.catalog_document import parse_catalog_document
    from s2cart.entrypoints.container import build_container, close_resources
    from s2cart.entrypoints.settings import Settings

    container = build_container(Settings(database_url=database_url))
    try:
        document = catalog_file.catalog(BROWSE_STORES, BROWSE_PRODUCTS, prefix=PREFIX)
        await container.load_catalog()(parse_catalog_document(document))
    finally:
        await close_resources(container)


def browse_with_and_without_replica(
    args: Any, env: dict[str, str], lua_env: dict[str, str], work: Path, measure: Callable[..., dict]
) -> dict[str, dict]:
    import catalog_file
    from s2cart.adapters.persistence import migrator

    out: dict[str, dict] = {}
    with replicated_clusters(PRIMARY_PORT, REPLICA_PORT) as clusters:
        clusters.primary.execute("CREATE DATABASE s2cart_browse")
        primary_url, replica_url = clusters.primary.url("s2cart_browse"), clusters.replica.url("s2cart_browse")
        migrator.upgrade(primary_url)
        started = time.perf_counter()
        asyncio.run(_load(primary_url))
        clusters.primary.execute("VACUUM ANALYZE", "s2cart_browse")
        clusters.wait_replayed(120)
        items, _ = catalog_file.search_words()
        work.mkdir(parents=True, exist_ok=True)
        (work / "search_items.txt").write_text("\n".join(items) + "\n")
        print(f"browse mix: {BROWSE_PRODUCTS:,} products on a primary and a standby of its own "
              f"({time.perf_counter() - started:.1f} s)", flush=True)  # fmt: skip
        mix = {"BENCH_STORES": str(BROWSE_STORES), "BENCH_PRODUCTS": str(BROWSE_PRODUCTS), "BENCH_PREFIX": PREFIX}
        for name, reads in (("browse_primary_only", None), ("browse_with_replica", replica_url)):
            server_env = {**env, "S2CART_DATABASE_URL": primary_url}
            if reads:
                server_env["S2CART_DATABASE_READ_URL"] = reads
            server = harness.start(
                name,
                [str(args.server_bin / "s2cart"), "serve", "--workers", str(args.workers),
                 "--port", str(args.port + 2)],
                server_env,
                args.port + 2,
                "/api/auth/live/",
                work / f"{name}.log",
            )  # fmt: skip
            try:
                if args.warmup > 0:
                    harness.wrk_result(harness.run_wrk("browse.lua", server.base, args.connections, args.warmup,
                                                       {**os.environ, **lua_env, **mix}))  # fmt: skip
                # Idle first: what the primary spends with no requests (the standby checks, when configured).
                idle_before = cluster_cpu_seconds(clusters.primary)
                time.sleep(IDLE_SECONDS)
                idle = cluster_cpu_seconds(clusters.primary) - idle_before
                workers = server.workers()
                primary_before, replica_before = (
                    cluster_cpu_seconds(clusters.primary),
                    cluster_cpu_seconds(clusters.replica),
                )
                app_before = process_cpu_seconds(workers)
                result = measure(Scenario(name, "s2cart", "browse.lua", mix, warmup=False), server, args, lua_env)
                primary = cluster_cpu_seconds(clusters.primary) - primary_before
                replica = cluster_cpu_seconds(clusters.replica) - replica_before
                app = process_cpu_seconds(workers) - app_before
            finally:
                server.stop()
            seconds = args.seconds
            result["primary_cpu_seconds"] = round(primary, 2)
            result["replica_cpu_seconds"] = round(replica, 2)
            result["primary_cpu_percent"] = round(100 * primary / seconds, 1)  # of one core
            result["primary_cpu_ms_per_request"] = round(1000 * primary / max(result["requests"], 1), 3)
            result["replica_cpu_ms_per_request"] = round(1000 * replica / max(result["requests"], 1), 3)
            result["s2cart_cpu_ms_per_request"] = round(1000 * app / max(result["requests"], 1), 3)
            result["primary_idle_cpu_percent"] = round(100 * idle / IDLE_SECONDS, 2)
            print(f"  {'':<18} primary CPU {result['primary_cpu_percent']}% of a core "
                  f"({result['primary_cpu_ms_per_request']} ms a request; idle {result['primary_idle_cpu_percent']}%), "
                  f"standby {result['replica_cpu_ms_per_request']} ms a request, "
                  f"S2Cart workers {result['s2cart_cpu_ms_per_request']} ms a request", flush=True)  # fmt: skip
            out[name] = result
    alone, helped = out["browse_primary_only"], out["browse_with_replica"]
    if alone["primary_cpu_ms_per_request"]:
        helped["primary_cpu_per_request_ratio"] = round(
            helped["primary_cpu_ms_per_request"] / alone["primary_cpu_ms_per_request"], 3
        )
        helped["rps_ratio"] = round(helped["rps"] / alone["rps"], 3) if alone["rps"] else None
        print(f"  with the standby the primary spends {helped['primary_cpu_per_request_ratio']:.2f}x the CPU a request "
              f"and serves {helped['rps_ratio']}x the req/s", flush=True)  # fmt: skip
    return out
