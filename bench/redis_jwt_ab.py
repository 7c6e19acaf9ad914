"""Decision 0045's two savings measured side by side in one process: the rate-limit script through redis-py or
through the lean client, JWTs verified every time or kept once verified (``cpu_per_request.py --lean``).

Four apps are built from the bench's settings (bench/.work/, after ``make bench``), one per combination, and
each serves the same requests one at a time: an authenticated probe route (JWT, the cached session, the
rate-limit script with the epoch; no SQL), the anonymous probe (the script without the epoch) and
``GET /carts/`` (the whole request). The variants take turns within each round, each round starting with the
next one; each figure is the best round and the median of the rounds (``time.process_time()`` per request), so
load that changes between rounds touches them alike. The once-a-minute ``last_activity`` write is off, as in ``--pieces``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import statistics
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
from pipeline_pieces import ORIGIN, Request, cpu_ms, probe_routes, quiet_json_logs

ROUNDS = 7
VARIANTS = {  # name: (lean script client, verified-token cache, shared session entries)
    "redis-py script, JWT verified every time (before)": (False, False, False),
    "lean script client": (True, False, False),
    "verified-token cache": (False, True, False),
    "both (as shipped)": (True, True, True),
}
MISS_VARIANTS = {
    "before 0045 (redis-py, JWT every time, no shared entries)": (False, False, False),
    "lean client + token cache, no shared entries": (True, True, False),
    "+ shared session entries (as shipped)": (True, True, True),
}


class _NoSharing:
    @staticmethod
    def over(*_: object, **__: object) -> None:
        return None


@contextlib.contextmanager
def variant(lean: bool, keep_tokens: bool, share: bool = True) -> Iterator[None]:
    from s2cart.entrypoints import adapter_factories as make

    real_limiter, real_tokens, real_shared = make.RedisRateLimiter, make.JwtTokenService, make.RedisSharedSessions
    make.RedisRateLimiter = functools.partial(real_limiter, lean=lean)  # type: ignore[misc]
    if not keep_tokens:
        make.JwtTokenService = functools.partial(real_tokens, verified_tokens=0)  # type: ignore[misc]
    if not share:
        make.RedisSharedSessions = _NoSharing  # type: ignore[misc,assignment]
    try:
        yield
    finally:
        make.RedisRateLimiter, make.JwtTokenService = real_limiter, real_tokens  # type: ignore[misc]
        make.RedisSharedSessions = real_shared  # type: ignore[misc]


async def compare(n: int, tokens: list[str]) -> None:
    import s2cart.application.auth.authenticate as authenticate_module
    import s2cart.entrypoints.http.app as app_module
    from s2cart.entrypoints.settings import Settings

    authenticate_module.ACTIVITY_RESOLUTION = timedelta(days=1)  # type: ignore[misc]
    os.environ["S2CART_ACCESS_LOG"] = "true"
    quiet_json_logs()
    rng = random.Random(1)
    picked = [rng.choice(tokens) for _ in range(500)]
    kinds: dict[str, list[Request]] = {
        "authenticated probe": [("GET", "/api/auth/bench/auth/", {"Authorization": f"Bearer {t}"}) for t in picked],
        "anonymous probe": [("GET", "/api/auth/bench/anon/", {"Origin": ORIGIN})],
        "GET /carts/": [("GET", "/api/auth/carts/", {"Authorization": f"Bearer {t}"}) for t in picked],
    }
    rounds: dict[str, dict[str, list[float]]] = {name: {kind: [] for kind in kinds} for name in VARIANTS}
    async with contextlib.AsyncExitStack() as stack:
        clients: dict[str, httpx.AsyncClient] = {}
        for name, (lean, keep_tokens, _share) in VARIANTS.items():
            with variant(lean, keep_tokens):
                app: Any = app_module.create_app(Settings.from_env(), extra_route_handlers=probe_routes())
                await stack.enter_async_context(app.lifespan())
                transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
                client = await stack.enter_async_context(httpx.AsyncClient(transport=transport, base_url="http://b"))
                for requests in kinds.values():  # warm-up: builds the singletons under the variant's patches
                    await cpu_ms(client, requests, 600, 200)
            container = app.state.container
            assert (container.rate_limiter()._primary._lean is not None) == lean, name
            assert (container.tokens()._max_verified > 0) == keep_tokens, name
            clients[name] = client
        names = list(clients)
        for turn in range(ROUNDS):
            order = names[turn % len(names) :] + names[: turn % len(names)]  # nobody always goes first
            for kind, requests in kinds.items():
                for name in order:
                    rounds[name][kind].append(await cpu_ms(clients[name], requests, n, 200))
    width = max(map(len, VARIANTS))
    print(f"{'variant':<{width}}  " + "  ".join(f"{kind + ' (best / median)':>34}" for kind in kinds))
    for name in VARIANTS:
        cells = [f"{min(r) * 1000:14.0f} us / {statistics.median(r) * 1000:6.0f} us" for r in rounds[name].values()]
        print(f"{name:<{width}}  " + "  ".join(f"{c:>34}" for c in cells), flush=True)


async def misses(n: int, tokens: list[str]) -> None:
    """The path of a request whose session this worker has not cached (a cold worker, or one of many workers):
    before each round every app forgets its own session cache; the shared entries (written by the warm-up, in
    the same epoch) stay. ``n`` distinct tokens a round, each a miss."""
    import s2cart.application.auth.authenticate as authenticate_module
    import s2cart.entrypoints.http.app as app_module
    from s2cart.entrypoints.settings import Settings

    authenticate_module.ACTIVITY_RESOLUTION = timedelta(days=1)  # type: ignore[misc]
    os.environ["S2CART_ACCESS_LOG"] = "true"
    os.environ["S2CART_SESSION_CACHE_SECONDS"] = "3600"  # the shared entries outlive the rounds
    quiet_json_logs()
    picked = tokens[: min(n, len(tokens))]
    kinds: dict[str, list[Request]] = {
        "authenticated probe": [("GET", "/api/auth/bench/auth/", {"Authorization": f"Bearer {t}"}) for t in picked],
        "GET /carts/": [("GET", "/api/auth/carts/", {"Authorization": f"Bearer {t}"}) for t in picked],
    }
    rounds: dict[str, dict[str, list[float]]] = {name: {kind: [] for kind in kinds} for name in MISS_VARIANTS}
    async with contextlib.AsyncExitStack() as stack:
        clients: dict[str, tuple[httpx.AsyncClient, Any]] = {}
        for name, (lean, keep_tokens, share) in MISS_VARIANTS.items():
            with variant(lean, keep_tokens, share):
                app: Any = app_module.create_app(Settings.from_env(), extra_route_handlers=probe_routes())
                await stack.enter_async_context(app.lifespan())
                transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
                client = await stack.enter_async_context(httpx.AsyncClient(transport=transport, base_url="http://b"))
                for requests in kinds.values():
                    await cpu_ms(client, requests, len(requests), 200)
            sessions = app.state.container.session_lookup()
            assert (sessions._shared is not None) == share, name
            clients[name] = (client, sessions)
        names = list(clients)
        for turn in range(ROUNDS):
            order = names[turn % len(names) :] + names[: turn % len(names)]
            for kind, requests in kinds.items():
                for name in order:
                    client, sessions = clients[name]
                    sessions._entries.clear()  # this worker has cached nothing
                    sessions._key_of_session.clear()
                    rounds[name][kind].append(await cpu_ms(client, requests, len(requests), 200))
    width = max(map(len, MISS_VARIANTS))
    print(f"session cache misses, {len(picked)} distinct sessions a round")
    print(f"{'variant':<{width}}  " + "  ".join(f"{kind + ' (best / median)':>34}" for kind in kinds))
    for name in MISS_VARIANTS:
        cells = [f"{min(r) * 1000:14.0f} us / {statistics.median(r) * 1000:6.0f} us" for r in rounds[name].values()]
        print(f"{name:<{width}}  " + "  ".join(f"{c:>34}" for c in cells), flush=True)
