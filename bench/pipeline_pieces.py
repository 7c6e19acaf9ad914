"""CPU per request of each piece of S2Cart's request pipeline, alone (``cpu_per_request.py --pieces``).

The app is built with every piece of the pipeline off, then with one piece on at a time, then with all of them,
and each variant serves the same requests one at a time in this process (``time.process_time()``, best of
``ROUNDS`` rounds, the variants taking turns in each round, after a warm-up). A piece's cost is its variant
minus the bare one. The pieces are switched by filtering what ``create_app`` hands to ``Litestar`` (middleware,
hooks, CORS, exception handlers) and by replacing the observer, so the application code is measured as shipped,
not a copy of it. The code before decision 0040 is measured with its own variants (``VARIANTS_BEFORE_0040``).

Two probe routes are added for the measurement (``extra_route_handlers``): ``/api/auth/bench/anon/`` (counted by
the anonymous tier) and ``/api/auth/bench/auth/`` (asks for the principal: authentication, the session check);
both return a small dict. A piece that only acts on errors (the exception handlers) is measured on a 404.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from litestar import get

from s2cart.application.auth.principal import Principal

ROUNDS = 7
ORIGIN = "http://localhost:3000"


def probe_routes() -> list[object]:
    @get("/bench/anon/", include_in_schema=False, sync_to_thread=False)
    def anon() -> dict[str, str]:
        return {"status": "ok"}

    @get("/bench/auth/", include_in_schema=False, sync_to_thread=False)
    def auth(principal: Principal) -> dict[str, int]:
        return {"user": principal.user_id}

    return [anon, auth]


Keep = Callable[[dict[str, Any]], None]


def _keep(
    *,
    middleware: tuple[str, ...] = (),
    before_request: bool = False,
    before_send: tuple[str, ...] = (),
    cors: bool = False,
    handlers: bool = False,
    body_limit: bool = False,
) -> Keep:
    """Filter what create_app hands to Litestar(...): each piece the variant leaves off is removed."""

    def filter_kwargs(kwargs: dict[str, Any]) -> None:
        kwargs["middleware"] = [m for m in kwargs.get("middleware") or [] if m.__name__ in middleware]
        kwargs["before_send"] = [h for h in kwargs.get("before_send") or [] if h.__name__ in before_send]
        if not before_request:
            kwargs["before_request"] = None
        if not cors:
            kwargs["cors_config"] = None
        if not handlers:
            kwargs["exception_handlers"] = {}
        if not body_limit:
            kwargs["request_max_body_size"] = None

    return filter_kwargs


@dataclass(frozen=True)
class Variant:
    keep: Keep
    edge: bool = False  # observe(): request id (context + header), status, metrics
    access_log: bool = False  # observe()'s access line
    rate_headers: bool = False  # observe() adds the X-RateLimit-* headers (and counts 404s for them)


REFUSED = "refused_characters_middleware"
# The pipeline as it is (decision 0040): one observer around the app does the request id, both headers, the
# metrics and the access line; the rate limiter counts in before_request; the refused-characters middleware.
VARIANTS: dict[str, Variant] = {
    "bare (no pipeline)": Variant(_keep()),
    "observer: request id, its header, status, metrics": Variant(_keep(), edge=True),
    "observer: + access line": Variant(_keep(), edge=True, access_log=True),
    "rate limit: count (before_request)": Variant(_keep(before_request=True)),
    "rate limit: count + headers (observer)": Variant(_keep(before_request=True), edge=True, rate_headers=True),
    "refused characters middleware": Variant(_keep(middleware=(REFUSED,))),
    "CORS (allowed Origin sent)": Variant(_keep(cors=True)),
    "body limit": Variant(_keep(body_limit=True)),
    "error mapping (exception handlers)": Variant(_keep(handlers=True)),
    "everything (as shipped)": Variant(
        _keep(middleware=(REFUSED,), before_request=True, cors=True, handlers=True, body_limit=True),
        edge=True,
        access_log=True,
        rate_headers=True,
    ),
}
# The pipeline before decision 0040 (commit 20e6de5^): a request-id middleware, two before_send hooks (the
# request-id header, the rate-limit headers), the observer for metrics and the access line.
OLD_MIDDLEWARE = ("request_id_middleware", REFUSED)
OLD_SEND = ("add_request_id_header", "before_send")
VARIANTS_BEFORE_0040: dict[str, Variant] = {
    "bare (no pipeline)": Variant(_keep()),
    "request id middleware": Variant(_keep(middleware=("request_id_middleware",))),
    "request id header (before_send)": Variant(_keep(before_send=("add_request_id_header",))),
    "observer: metrics": Variant(_keep(), edge=True),
    "observer: + access line": Variant(_keep(), edge=True, access_log=True),
    "rate limit: count (before_request)": Variant(_keep(before_request=True)),
    "rate limit: count + headers (before_send)": Variant(_keep(before_request=True, before_send=("before_send",))),
    "refused characters middleware": Variant(_keep(middleware=(REFUSED,))),
    "CORS (allowed Origin sent)": Variant(_keep(cors=True)),
    "body limit": Variant(_keep(body_limit=True)),
    "error mapping (exception handlers)": Variant(_keep(handlers=True)),
    "everything (as shipped)": Variant(
        _keep(
            middleware=OLD_MIDDLEWARE,
            before_request=True,
            before_send=OLD_SEND,
            cors=True,
            handlers=True,
            body_limit=True,
        ),
        edge=True,
        access_log=True,
    ),
}


@contextlib.contextmanager
def variant(chosen: Variant) -> Iterator[None]:
    import s2cart.entrypoints.http.app as app_module

    real_litestar, real_observe = app_module.Litestar, app_module.observe

    def litestar(**kwargs: Any) -> Any:
        chosen.keep(kwargs)
        return real_litestar(**kwargs)

    def observe(app: Any, metrics: Any, access_log: bool, rate_limit_headers: Any = None) -> None:
        del access_log  # the variant decides
        if not chosen.edge:
            return
        if rate_limit_headers is None:  # the code before decision 0040
            real_observe(app, metrics, access_log=chosen.access_log)
        else:
            headers = rate_limit_headers if chosen.rate_headers else None
            real_observe(app, metrics, access_log=chosen.access_log, rate_limit_headers=headers)

    app_module.Litestar, app_module.observe = litestar, observe  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        app_module.Litestar, app_module.observe = real_litestar, real_observe  # type: ignore[misc]


def quiet_json_logs() -> None:
    """JSON access lines at INFO as the bench server writes them, formatted for real but written nowhere."""
    from s2cart.entrypoints.logs import configure_logging

    configure_logging("INFO", "json")
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115


Request = tuple[str, str, dict[str, str]]


async def cpu_ms(client: httpx.AsyncClient, requests: list[Request], n: int, status: int) -> float:
    started = time.process_time()
    for i in range(n):
        method, path, headers = requests[i % len(requests)]
        answer = await client.request(method, path, headers=headers)
        assert answer.status_code == status, (path, answer.status_code, answer.text[:200])
    return (time.process_time() - started) * 1000 / n


async def pieces(n: int, tokens: list[str]) -> None:
    """Every variant is built and started first; then each round measures every variant in turn, so a change
    in the machine's load between rounds touches all of them alike; a variant's figure is its best round."""
    import s2cart.entrypoints.http.app as app_module
    from s2cart.entrypoints.settings import Settings

    variants = VARIANTS_BEFORE_0040 if hasattr(app_module, "request_id_middleware") else VARIANTS
    # The once-a-minute last_activity write is a database write, not the pipeline: with a dozen apps each
    # touching every session on its own schedule, it made the authenticated column noise. Off here.
    import s2cart.application.auth.authenticate as authenticate_module

    authenticate_module.ACTIVITY_RESOLUTION = timedelta(days=1)  # type: ignore[misc]
    os.environ["S2CART_ACCESS_LOG"] = "true"
    os.environ["S2CART_CORS_ALLOWED_ORIGINS"] = f"{ORIGIN},http://127.0.0.1:*"
    quiet_json_logs()
    origin = {"Origin": ORIGIN}
    kinds: list[tuple[list[Request], int]] = [
        ([("GET", "/api/auth/bench/anon/", origin)], 200),
        ([("GET", "/api/auth/bench/auth/", {**origin, "Authorization": f"Bearer {t}"}) for t in tokens[:500]], 200),
        ([("GET", "/api/auth/no-such-route/", origin)], 404),
    ]
    best: dict[str, list[float]] = {name: [float("inf")] * len(kinds) for name in variants}
    async with contextlib.AsyncExitStack() as stack:
        clients: dict[str, httpx.AsyncClient] = {}
        for name, chosen in variants.items():
            with variant(chosen):
                app = app_module.create_app(Settings.from_env(), extra_route_handlers=probe_routes())
            await stack.enter_async_context(app.lifespan())  # type: ignore[attr-defined]
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
            client = await stack.enter_async_context(httpx.AsyncClient(transport=transport, base_url="http://b"))
            for requests, _status in kinds:  # warm-up: caches, prepared statements, pools, the session cache
                for i in range(300):
                    method, path, headers = requests[i % len(requests)]
                    await client.request(method, path, headers=headers)
            clients[name] = client
        for round_ in range(ROUNDS):
            for name, client in clients.items():
                for k, (requests, status) in enumerate(kinds):
                    best[name][k] = min(best[name][k], await cpu_ms(client, requests, n, status))
            print_table(best, f"best of {round_ + 1} rounds of {n} requests")


def print_table(best: dict[str, list[float]], title: str) -> None:
    bare = next(iter(best.values()))
    print(f"\n{title} (load average {os.getloadavg()})")
    print("| piece | anonymous GET | authenticated GET | 404 |\n|---|---:|---:|---:|")
    for name, figures in best.items():
        if figures is bare:
            cells = [f"{f * 1000:.0f} µs" for f in figures]
        else:
            cells = [f"{(f - b) * 1000:+.0f} µs" for f, b in zip(figures, bare, strict=True)]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
