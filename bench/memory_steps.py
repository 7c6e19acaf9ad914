"""Peak RSS per worker, scenario by scenario: which kind of request raises a worker's VmHWM, and by how much.

Runs after ``bench/run.py`` (it reuses bench/.work/: the seeded database, tokens, server settings; run the bench
with the products scenarios once so the search catalog is there). Starts ``s2cart serve`` on ``--port``, sends
each scenario of ``--steps`` with wrk for ``--seconds`` in that order, and after each prints every worker's VmHWM
(the kernel's peak since it started), VmRSS, and from /proc/<pid>/smaps the resident size of the main heap
([heap], the main thread's malloc arena), of the other anonymous mappings (thread arenas and large blocks) and
of file mappings (code):

    .venv/bin/python bench/memory_steps.py --port 8420 --env MALLOC_ARENA_MAX=2
    .venv/bin/python bench/memory_steps.py --port 8420 --openapi --steps carts_get,jwt_signin,products_search_1,mixed
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
import seed  # noqa: E402

WORK = HERE / ".work"
BIN = Path(sys.executable).parent
STEPS = {
    "carts_get": ("carts.lua", {}),
    "cart_items_post": ("cart_items.lua", {}),
    "jwt_refresh": ("refresh.lua", {}),
    "orders_page_1": ("orders.lua", {"BENCH_PAGE": "1"}),
    "products_search_1": ("products.lua", {"BENCH_WORDS": "1"}),
    "products_search_2": ("products.lua", {"BENCH_WORDS": "2"}),
    "jwt_signin": ("signin.lua", {}),
    "mixed": ("", {}),  # the mixed scenario's storm: 16 connections signing in while 8 read carts
}


def smaps(pid: int) -> dict[str, float]:
    """Resident MiB by kind of mapping: the main heap, other anonymous memory, files."""
    out = {"heap": 0.0, "anon": 0.0, "file": 0.0}
    kind = "anon"
    try:
        for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
            first = line.split(maxsplit=6)
            if "-" in first[0] and len(first) >= 5 and ":" in first[3]:  # a mapping's header line
                name = first[5] if len(first) > 5 else ""
                kind = "heap" if name == "[heap]" else ("file" if name.startswith("/") else "anon")
            elif line.startswith("Rss:"):
                out[kind] += int(line.split()[1]) / 1024
    except OSError:
        pass
    return {k: round(v, 1) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument(
        "--bin",
        default=str(WORK / "venv" / "bin" if (WORK / "venv" / "bin" / "s2cart").exists() else BIN),
        help="where s2cart is run from (default: run.py's server virtualenv, without the dev extras)",
    )
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server (repeatable)")
    parser.add_argument(
        "--openapi",
        action="store_true",
        help="fetch /api/docs/openapi.json once first, as run.py does (the worker that serves it keeps the document)",
    )
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("S2CART_")}
    for line in (WORK / "server.env").read_text().splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    env.update(pair.split("=", 1) for pair in args.env)
    lua_env = {**env, "BENCH_DATA": str(WORK), "BENCH_LUA": str(harness.LUA), "BENCH_PASSWORD": seed.PASSWORD}
    server = harness.start(
        "s2cart",
        [str(Path(args.bin) / "s2cart"), "serve", "--workers", str(args.workers), "--port", str(args.port)],
        env,
        args.port,
        "/api/auth/live/",
        WORK / "memory_steps.log",
    )
    try:
        print(f"{args.bin}/s2cart, settings: {' '.join(args.env) or 'defaults'}")
        report("started", server)
        if args.openapi:
            harness.get(server.base + "/api/docs/openapi.json")
            report("openapi.json", server)
        for name in args.steps.split(","):
            script, extra = STEPS[name]
            if name == "mixed":
                storm = harness.run_wrk("signin.lua", server.base, 16, args.seconds, lua_env)
                carts = harness.run_wrk("carts.lua", server.base, 8, args.seconds, lua_env)
                harness.wrk_result(carts)
                result = harness.wrk_result(storm)
            else:
                result = harness.wrk_result(
                    harness.run_wrk(script, server.base, args.connections, args.seconds, {**lua_env, **extra})
                )
            report(f"{name} ({result['rps']:.0f}/s, {result['errors']} errors)", server)
    finally:
        server.stop()


def report(step: str, server: harness.Server) -> None:
    parts = []
    for pid in server.workers():
        hwm, rss = harness.rss_mb(pid, "VmHWM"), harness.rss_mb(pid)
        parts.append(f"HWM {hwm:6.1f} RSS {rss:6.1f} {smaps(pid)}")
    print(f"{step:<36} " + " | ".join(parts), flush=True)


if __name__ == "__main__":
    main()
