"""CPU per request of each piece of S2Cart's request pipeline, alone (``cpu_per_request.py --pieces``).

The app is built with every piece of the pipeline off, then with one piece on at a time, then with all of them,
and each variant serves the same requests one at a time in this process (``time.process_time()``, best of
``ROUNDS`` runs, after a warm-up). A piece's cost is its variant minus the bare one. The pieces are switched by
filtering what ``create_app`` hands to ``Litestar`` (middleware, hooks, CORS, exception handlers) and by
replacing the observer, so the application code is measured as shipped, not a copy of it.

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
from typing import Any

import httpx
from litestar import get

from s2cart.application.auth.principal import Principal

ROUNDS = 5
ORIGIN = "http://localhost:3000"


def probe_routes() -> list[object]:
    @get("/bench/anon/", include_in_schema=False, sync_to_thread=False)
    def anon() -> dict[str, str]:
        return {"status": "ok"}

    @get("/bench/auth/", include_in_schema=False, sync_to_thread=False)
    def auth(principal: Principal) -> dict[str, int]:
        return {"user": principal.user_id}

    return [anon, auth]


# name -> (what create_app's Litestar(...) keeps of it, whether the observer runs, access log on)
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
    def filter_kwargs(kwargs: dict[str, Any]) -> None:
        kwargs["middleware"] = [m for m in kwargs.get("middleware") or [] if m.__name__ in middleware]
        if not before_request:
            kwargs["before_request"] = None
        kwargs["before_send"] = [h for h in kwargs.get("before_send") or [] if h.__name__ in before_send]
        if not cors:
            kwargs["cors_config"] = None
        if not handlers:
            kwargs["exception_handlers"] = {}
        if not body_limit:
            kwargs["request_max_body_size"] = None

    return filter_kwargs


ALL_MIDDLEWARE = ("request_id_middleware", "refused_characters_middleware")
ALL_SEND = ("add_request_id_header", "before_send")

VARIANTS: dict[str, tuple[Keep, bool, bool]] = {
    "bare (no pipeline)": (_keep(), False, False),
    "request id middleware": (_keep(middleware=("request_id_middleware",)), False, False),
    "request id header (before_send)": (_keep(before_send=("add_request_id_header",)), False, False),
    "refused characters middleware": (_keep(middleware=("refused_characters_middleware",)), False, False),
    "rate limit: count (before_request)": (_keep(before_request=True), False, False),
    "rate limit: count + headers (before_send)": (
        _keep(before_request=True, before_send=("before_send",)),
        False,
        False,
    ),
    "observer: metrics": (_keep(), True, False),
    "observer: metrics + access log": (_keep(), True, True),
    "CORS (allowed Origin sent)": (_keep(cors=True), False, False),
    "body limit": (_keep(body_limit=True), False, False),
    "error mapping (exception handlers)": (_keep(handlers=True), False, False),
    "everything (as shipped)": (
        _keep(
            middleware=ALL_MIDDLEWARE,
            before_request=True,
            before_send=ALL_SEND,
            cors=True,
            handlers=True,
            body_limit=True,
        ),
        True,
        True,
    ),
}


@contextlib.contextmanager
def variant(keep: Keep, observer: bool, access_log: bool) -> Iterator[None]:
    import s2cart.entrypoints.http.app as app_module

    real_litestar, real_observe = app_module.Litestar, app_module.observe

    def litestar(**kwargs: Any) -> Any:
        keep(kwargs)
        return real_litestar(**kwargs)

    def observe(app: Any, metrics: Any, access_log: bool) -> None:  # noqa: ARG001 - the variant decides
        if observer:
            real_observe(app, metrics, access_log=access_log_on)

    access_log_on = access_log
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


async def cpu_ms(app: Any, requests: list[tuple[str, str, dict[str, str]]], n: int, status: int) -> float:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    best = float("inf")
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for method, path, headers in requests[:200]:
            await client.request(method, path, headers=headers)
        for _ in range(ROUNDS):
            started = time.process_time()
            for i in range(n):
                method, path, headers = requests[i % len(requests)]
                answer = await client.request(method, path, headers=headers)
                assert answer.status_code == status, (path, answer.status_code, answer.text[:200])
            best = min(best, (time.process_time() - started) * 1000 / n)
    return best


async def pieces(n: int, tokens: list[str]) -> None:
    from s2cart.entrypoints.http.app import create_app
    from s2cart.entrypoints.settings import Settings

    os.environ["S2CART_ACCESS_LOG"] = "true"
    os.environ["S2CART_CORS_ALLOWED_ORIGINS"] = f"{ORIGIN},http://127.0.0.1:*"
    quiet_json_logs()
    origin = {"Origin": ORIGIN}
    anon = [("GET", "/api/auth/bench/anon/", origin)]
    auth = [("GET", "/api/auth/bench/auth/", {**origin, "Authorization": f"Bearer {t}"}) for t in tokens[:500]]
    missing = [("GET", "/api/auth/no-such-route/", origin)]
    rows: list[tuple[str, float, float, float]] = []
    for name, (keep, observer, access_log) in VARIANTS.items():
        with variant(keep, observer, access_log):
            app = create_app(Settings.from_env(), extra_route_handlers=probe_routes())
        async with app.lifespan():  # type: ignore[attr-defined]
            row = (
                name,
                await cpu_ms(app, anon, n, 200),
                await cpu_ms(app, auth, n, 200),
                await cpu_ms(app, missing, n, 404),
            )
        await app.state.container.engine().dispose()
        rows.append(row)
        print(
            f"{name:<38} anon {row[1] * 1000:7.1f} us  auth {row[2] * 1000:7.1f} us  404 {row[3] * 1000:7.1f} us",
            flush=True,
        )
    bare = rows[0]
    print("\n| piece | anonymous GET | authenticated GET | 404 |\n|---|---:|---:|---:|")
    for name, a, b, c in rows:
        if name == bare[0]:
            print(f"| {name} | {a * 1000:.0f} µs | {b * 1000:.0f} µs | {c * 1000:.0f} µs |")
        else:
            print(
                f"| {name} | {(a - bare[1]) * 1000:+.0f} µs | {(b - bare[2]) * 1000:+.0f} µs "
                f"| {(c - bare[3]) * 1000:+.0f} µs |"
            )
