"""CPU time of one request inside the server process, without the network, wrk or a second worker.

Runs after ``make bench`` (it reuses bench/.work/: the seeded database, tokens and settings): N sequential
requests through the ASGI app in this process, ``time.process_time()`` around them. PostgreSQL's own CPU is not
counted, so this isolates what the Python side costs, which the noisy 2-core load test cannot.

    .venv/bin/python bench/cpu_per_request.py [N]
    .venv/bin/python bench/cpu_per_request.py --pieces [N]   # each piece of the request pipeline alone
    .venv/bin/python bench/cpu_per_request.py --only=carts_get,health [N]   # some paths only
    .venv/bin/python bench/cpu_per_request.py --lean [N]   # decision 0045's lean script client and token cache, A/B
    .venv/bin/python bench/cpu_per_request.py --lean --misses [N]   # the same on session cache misses (N sessions)
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))


STATEMENTS = [0]


def count_statements(*_: object) -> None:
    STATEMENTS[0] += 1


async def per_request(
    app: object, paths: list[tuple[str, str, dict[str, str], bytes | None]], n: int
) -> tuple[float, float]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for method, path, headers, body in paths[:200]:  # warm-up: caches, prepared statements, pools
            await client.request(method, path, headers=headers, content=body)
        STATEMENTS[0] = 0
        started = time.process_time()
        for i in range(n):
            method, path, headers, body = paths[i % len(paths)]
            answer = await client.request(method, path, headers=headers, content=body)
            assert answer.status_code < 300, (path, answer.status_code, answer.text[:200])
        return (time.process_time() - started) * 1000 / n, STATEMENTS[0] / n


async def main(
    n: int, pieces: bool = False, only: frozenset[str] = frozenset(), lean: bool = False, misses: bool = False
) -> None:
    for line in (WORK / "server.env").read_text().splitlines():
        key, _, value = line.partition("=")
        os.environ[key] = value
    if lean:
        import redis_jwt_ab

        tokens = (WORK / "access.txt").read_text().split()
        await (redis_jwt_ab.misses if misses else redis_jwt_ab.compare)(n, tokens)
        return
    if pieces:
        import pipeline_pieces

        await pipeline_pieces.pieces(n, (WORK / "access.txt").read_text().split())
        return
    os.environ["S2CART_ACCESS_LOG"] = "false"  # the access line is measured on its own (--pieces)
    import reference_app
    from litestar import Litestar

    from s2cart.entrypoints.http.app import create_app
    from s2cart.entrypoints.settings import Settings

    rng = random.Random(1)
    tokens = (WORK / "access.txt").read_text().split()
    ids = (WORK / "user_ids.txt").read_text().split()
    lines = [line.split() for line in (WORK / "lines.txt").read_text().splitlines()]
    carts = [("GET", "/api/auth/carts/", {"Authorization": f"Bearer {rng.choice(tokens)}"}, None) for _ in range(500)]
    ref_read = [("GET", f"/ref/carts?user={rng.choice(ids)}", {}, None) for _ in range(500)]
    picks = [rng.choice(lines) for _ in range(500)]
    merges = [
        (
            "POST",
            "/api/auth/cart/items/",
            {"Authorization": f"Bearer {t}", "Content-Type": "application/json"},
            f'{{"store_id":"{s}","product_id":"{p}","quantity":1}}'.encode(),
        )
        for t, _u, _i, s, p in picks
    ]
    ref_write = [("POST", f"/ref/cart-items?user={u}&item={i}", {}, None) for _t, u, i, _s, _p in picks]
    health = [("GET", "/api/auth/health/", {}, None)]
    orders_user = WORK / "orders_user.txt"
    orders = {}
    if orders_user.exists():
        bearer = {"Authorization": f"Bearer {orders_user.read_text().strip()}"}
        orders = {f"orders_page_{p}": [("GET", f"/api/auth/orders/?page={p}", bearer, None)] for p in (1, 500)}
    ref_json = [("GET", "/ref/json", {}, None)]
    search: dict[str, list[tuple[str, str, dict[str, str], bytes | None]]] = {}
    if (WORK / "search_items.txt").exists():  # the products scenarios' words (bench/lua/products.lua)
        items = (WORK / "search_items.txt").read_text().split()
        qualities = (WORK / "search_qualities.txt").read_text().split()
        one = [f"/api/auth/products/?q={rng.choice(items)}" for _ in range(500)]
        two = [f"/api/auth/products/?q={rng.choice(items)}+{rng.choice(qualities)}" for _ in range(500)]
        search = {
            name: [("GET", path, {}, None) for path in paths]
            for name, paths in (("products_search_1", one), ("products_search_2", two))
        }

    s2cart: Litestar = create_app(Settings.from_env())
    reference: Litestar = reference_app.create()
    from sqlalchemy import event

    event.listen(s2cart.state.container.engine().sync_engine, "before_cursor_execute", count_statements)
    async with s2cart.lifespan(), reference.lifespan():  # type: ignore[attr-defined]
        for name, app, paths in (
            *((name, s2cart, paths) for name, paths in orders.items()),
            ("ref_json", reference, ref_json),
            ("health", s2cart, health),
            ("ref_read", reference, ref_read),
            ("carts_get", s2cart, carts),
            ("ref_write", reference, ref_write),
            ("cart_items_post", s2cart, merges),
            *((name, s2cart, paths) for name, paths in search.items()),
        ):
            if only and name not in only:
                continue
            cpu, statements = await per_request(app, paths, n)
            counted = f"  {statements:4.1f} SQL statements" if app is s2cart else ""
            print(f"{name:<16} {cpu:6.3f} ms CPU a request{counted}", flush=True)


if __name__ == "__main__":
    options = [a for a in sys.argv[1:] if a.startswith("--")]
    numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
    only = frozenset(name for a in options if a.startswith("--only=") for name in a[len("--only=") :].split(","))
    n = int(numbers[0]) if numbers else 2000
    lean, misses = "--lean" in options, "--misses" in options
    asyncio.run(main(n, pieces="--pieces" in options, only=only, lean=lean, misses=misses))
