"""CPU time of one request inside the server process, without the network, wrk or a second worker.

Runs after ``make bench`` (it reuses bench/.work/: the seeded database, tokens and settings): N sequential
requests through the ASGI app in this process, ``time.process_time()`` around them. PostgreSQL's own CPU is not
counted, so this isolates what the Python side costs, which the noisy 2-core load test cannot.

    .venv/bin/python bench/cpu_per_request.py [N]
    .venv/bin/python bench/cpu_per_request.py --pieces [N]   # each piece of the request pipeline alone
    .venv/bin/python bench/cpu_per_request.py --only=jwt_refresh,carts_get [N]   # these scenarios only
    .venv/bin/python bench/cpu_per_request.py --lean [N]   # decision 0045's lean script client and token cache, A/B
    .venv/bin/python bench/cpu_per_request.py --lean --misses [N]   # the same on session cache misses (N sessions)
    .venv/bin/python bench/cpu_per_request.py --client [N]   # what the in-process client itself costs a request

Two figures a scenario (decision 0051):
- ``client+server``: the requests go through ``httpx.AsyncClient`` over ``httpx.ASGITransport``, as before. The
  figure includes the CLIENT's CPU: httpx building each request, its transport turning it into an ASGI scope
  and collecting the answer, and parsing the response (headers, body). That is not the server's cost.
- ``server``: the same requests as raw ASGI calls, the scope built once per distinct request the way uvicorn
  builds it (method, path, raw_path, query string, the headers wrk sends: host, authorization, content-type; the
  client and server addresses; a fresh ``state`` each call), a ``receive`` that hands over the body and a
  ``send`` that keeps the status and drops the rest. What is left is the app: the observer, Litestar's routing,
  hooks, dependencies and handler, our authentication, the rate-limit script, the read, the encoding of the
  answer. The issue's "CPU per request" target is this figure.
Neither includes the HTTP server's own work (uvicorn's httptools parsing, its transport writes): that is
estimated separately from the wrk profile's uvicorn share (bench/README.md).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from pathlib import Path

import httpx
import msgspec

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))


ROUNDS = 3  # each scenario: client+server and server alone taking turns, the median of each printed
STATEMENTS = [0]
TRANSACTIONS = [0]  # BEGIN, COMMIT and ROLLBACK the engine runs (psycopg sends them outside any cursor)


def count_statements(*_: object) -> None:
    STATEMENTS[0] += 1


def count_transaction_statements(*_: object) -> None:
    TRANSACTIONS[0] += 1


async def per_refresh(app: object, tokens: list[str], n: int) -> tuple[float, float, float]:
    """``POST /jwt/refresh/`` as clients rotate: each answer's refresh token goes back in the queue, so every
    token is spent once (refresh.txt: the seeded spares, or what the bench's refresh scenario left unspent)."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))  # type: ignore[arg-type]
    queue = list(tokens)
    headers = {"Content-Type": "application/json"}

    async def one(client: httpx.AsyncClient) -> None:
        answer = await client.post("/api/auth/jwt/refresh/", headers=headers, content=f'{{"refresh":"{queue.pop(0)}"}}')
        assert answer.status_code < 300, answer.text[:200]
        queue.append(answer.json()["data"]["refresh"])

    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for _ in range(200):
            await one(client)
        STATEMENTS[0] = TRANSACTIONS[0] = 0
        started = time.process_time()
        for _ in range(n):
            await one(client)
        cpu = (time.process_time() - started) * 1000 / n
    (WORK / "refresh.txt").write_text("\n".join(queue) + "\n")  # only unspent tokens: the next run continues
    return cpu, STATEMENTS[0] / n, TRANSACTIONS[0] / n


async def per_request(
    app: object, paths: list[tuple[str, str, dict[str, str], bytes | None]], n: int
) -> tuple[float, float]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for method, path, headers, body in paths[:500]:  # warm-up: caches, prepared statements, pools, sessions
            await client.request(method, path, headers=headers, content=body)
        STATEMENTS[0] = 0
        started = time.process_time()
        for i in range(n):
            method, path, headers, body = paths[i % len(paths)]
            answer = await client.request(method, path, headers=headers, content=body)
            assert answer.status_code < 300, (path, answer.status_code, answer.text[:200])
        return (time.process_time() - started) * 1000 / n, STATEMENTS[0] / n


def asgi_request(
    method: str, path: str, headers: dict[str, str], body: bytes | None
) -> tuple[dict[str, object], bytes]:
    """The scope uvicorn would hand the app for this request (the headers wrk sends, in its order)."""
    target, _, query = path.partition("?")
    raw = [(b"host", b"127.0.0.1:8401")]
    raw += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
    if body is not None:
        raw.append((b"content-length", str(len(body)).encode()))
    scope: dict[str, object] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8401),
        "client": ("127.0.0.1", 40000),
        "scheme": "http",
        "method": method,
        "root_path": "",
        "path": target,
        "raw_path": target.encode(),
        "query_string": query.encode(),
        "headers": raw,
    }
    return scope, body or b""


class Sink:
    """``send``: keeps the status and the body's size; nothing is parsed."""

    __slots__ = ("size", "status")

    def __init__(self) -> None:
        self.status = 0
        self.size = 0

    async def __call__(self, message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]  # type: ignore[assignment]
        else:
            self.size += len(message.get("body", b""))  # type: ignore[arg-type]


async def call_asgi(app: object, scope: dict[str, object], body: bytes) -> Sink:
    sent = [False]

    async def receive() -> dict[str, object]:
        if sent[0]:
            await asyncio.Event().wait()  # a disconnect never comes during a request here
        sent[0] = True
        return {"type": "http.request", "body": body, "more_body": False}

    sink = Sink()
    await app({**scope, "state": {}}, receive, sink)  # type: ignore[operator]
    return sink


async def per_request_server(
    app: object, paths: list[tuple[str, str, dict[str, str], bytes | None]], n: int
) -> tuple[float, float]:
    """The same requests as ``per_request``, as raw ASGI calls: the server's CPU alone (module docstring)."""
    requests = [asgi_request(*request) for request in paths]
    for scope, body in requests[:500]:  # warm-up, as per_request's
        await call_asgi(app, scope, body)
    STATEMENTS[0] = 0
    started = time.process_time()
    for i in range(n):
        scope, body = requests[i % len(requests)]
        sink = await call_asgi(app, scope, body)
        assert sink.status < 300, (scope["path"], sink.status)
    return (time.process_time() - started) * 1000 / n, STATEMENTS[0] / n


async def client_cost(n: int) -> None:
    """What httpx + ASGITransport cost a request, against an ASGI app that answers a fixed body at once: the
    client's share of the ``client+server`` figure (a cart page's answer is ~4.6 kB, 15 headers out)."""
    body = b'{"x":"' + b"a" * 4600 + b'"}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(f"x-h{i}".encode(), b"v" * 20) for i in range(12)]

    async def fixed(scope: dict[str, object], receive: object, send: object) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": headers})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": body})  # type: ignore[operator]

    tokens = (WORK / "access.txt").read_text().split() if (WORK / "access.txt").exists() else ["x" * 300]
    paths = [("GET", "/api/auth/carts/", {"Authorization": f"Bearer {t}"}, None) for t in tokens[:500]]
    for _ in range(3):
        through_httpx, _s = await per_request(fixed, paths, n)
        raw, _s = await per_request_server(fixed, paths, n)
        print(
            f"fixed answer: httpx+ASGITransport {through_httpx:6.3f} ms  raw ASGI {raw:6.3f} ms  "
            f"client's share {through_httpx - raw:6.3f} ms",
            flush=True,
        )


async def main(
    n: int,
    pieces: bool = False,
    only: frozenset[str] = frozenset(),
    lean: bool = False,
    misses: bool = False,
    client: bool = False,
) -> None:
    for line in (WORK / "server.env").read_text().splitlines():
        key, _, value = line.partition("=")
        os.environ[key] = value
    if lean:
        import redis_jwt_ab

        tokens = (WORK / "access.txt").read_text().split()
        await (redis_jwt_ab.misses if misses else redis_jwt_ab.compare)(n, tokens)
        return
    if client:
        await client_cost(n)
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
        if (WORK / "search_shop.txt").exists():  # a shop's one-word searches, with their shares (decision 0047)
            shop = [line.split() for line in (WORK / "search_shop.txt").read_text().splitlines()]
            one = rng.choices([path for _, path in shop], weights=[float(share) for share, _ in shop], k=500)
        else:
            one = [f"/api/auth/products/?q={rng.choice(items)}" for _ in range(500)]
        two = [f"/api/auth/products/?q={rng.choice(items)}+{rng.choice(qualities)}" for _ in range(500)]
        search = {
            name: [("GET", path, {}, None) for path in paths]
            for name, paths in (("products_search_1", one), ("products_search_2", two))
        }
        # A cache hit alone: the shop's most asked search, again and again (every request after the first a hit).
        hit = max(shop, key=lambda line: float(line[0]))[1] if (WORK / "search_shop.txt").exists() else one[0]
        search["products_search_hit"] = [("GET", hit, {}, None)]

    settings = Settings.from_env()
    s2cart: Litestar = create_app(settings)
    # The same app with the product search cache off: what a search costs when it is read (S2CART_SEARCH_CACHE_SECONDS).
    off = {"search_cache_seconds": 0} if "search_cache_seconds" in Settings.__struct_fields__ else {}  # older code
    uncached: Litestar = create_app(msgspec.structs.replace(settings, **off))
    reference: Litestar = reference_app.create()
    from sqlalchemy import event

    engine = s2cart.state.container.engine().sync_engine
    for app in (s2cart, uncached):
        event.listen(app.state.container.engine().sync_engine, "before_cursor_execute", count_statements)
    for name in ("begin", "commit", "rollback"):
        event.listen(engine, name, count_transaction_statements)
    if "products_search_1" in search:
        search["products_search_1_uncached"] = search["products_search_1"]
    async with s2cart.lifespan(), uncached.lifespan(), reference.lifespan():  # type: ignore[attr-defined]
        for name, app, paths in (
            *((name, s2cart, paths) for name, paths in orders.items()),
            ("ref_json", reference, ref_json),
            ("health", s2cart, health),
            ("ref_read", reference, ref_read),
            ("carts_get", s2cart, carts),
            ("ref_write", reference, ref_write),
            ("cart_items_post", s2cart, merges),
            *((name, uncached if name.endswith("_uncached") else s2cart, paths) for name, paths in search.items()),
        ):
            if only and name not in only:
                continue
            runs = [(await per_request(app, paths, n), await per_request_server(app, paths, n)) for _ in range(ROUNDS)]
            cpu, statements = sorted(runs)[ROUNDS // 2][0]
            server, server_statements = sorted(runs, key=lambda run: run[1])[ROUNDS // 2][1]
            counted = f"  {statements:4.1f} / {server_statements:4.1f} SQL statements" if app is not reference else ""
            print(f"{name:<26} {cpu:6.3f} ms client+server  {server:6.3f} ms server{counted}", flush=True)
        refresh_tokens = (WORK / "refresh.txt").read_text().split()
        if refresh_tokens and (not only or "jwt_refresh" in only):
            cpu, statements, transactions = await per_refresh(s2cart, refresh_tokens, n)
            print(
                f"{'jwt_refresh':<16} {cpu:6.3f} ms CPU a request  {statements:4.1f} SQL statements"
                f"  {transactions:4.1f} BEGIN/COMMIT/ROLLBACK",
                flush=True,
            )


if __name__ == "__main__":
    options = [a for a in sys.argv[1:] if a.startswith("--")]
    numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
    only = frozenset(name for a in options if a.startswith("--only=") for name in a[len("--only=") :].split(","))
    n = int(numbers[0]) if numbers else 2000
    lean, misses = "--lean" in options, "--misses" in options
    asyncio.run(
        main(n, pieces="--pieces" in options, only=only, lean=lean, misses=misses, client="--client" in options)
    )
