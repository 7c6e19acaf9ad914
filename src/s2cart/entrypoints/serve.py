"""``s2cart serve``: uvicorn (uvloop, httptools) with N worker processes, each building its own app.

Uvicorn was measured against granian on this machine (bench/README.md): granian answered a bare Litestar
route about 20% faster, uvicorn answered ``/health/`` (two awaited round trips) 1.5-2x faster; S2Cart's
requests are the second kind.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from s2cart.adapters.observability.prometheus import MULTIPROC_ENV
from s2cart.entrypoints.settings import Settings

APP_FACTORY = "s2cart.entrypoints.worker:app_from_env"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int | None = None
    # Longer than a reverse proxy's idle upstream timeout (nginx: 60 s), so the proxy closes first and never
    # sends a request down a connection the server is closing.
    keep_alive_seconds: int = 75
    graceful_timeout_seconds: int = 30
    backlog: int = 2048


def available_cores() -> int:
    """Cores this process may run on (taskset, cgroup cpusets), not merely those the machine has."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def metrics_directory(workers: int) -> Iterator[str | None]:
    """Several workers share their metrics through files (prometheus_client's multiprocess mode).

    An operator's ``PROMETHEUS_MULTIPROC_DIR`` is used and emptied of a previous run's files; with several
    workers and none given, a private directory lives as long as the server. The variable must be set
    before any worker imports prometheus_client, hence here, in the parent, before the workers start.
    """
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
        yield str(path)
        return
    if workers < 2:
        yield None
        return
    created = tempfile.mkdtemp(prefix="s2cart-metrics-")
    os.environ[MULTIPROC_ENV] = created
    try:
        yield created
    finally:
        os.environ.pop(MULTIPROC_ENV, None)
        shutil.rmtree(created, ignore_errors=True)


HUGE_PAGES_TUNABLE = "glibc.malloc.hugetlb=1"


def transparent_huge_pages_for_malloc(settings: Settings, environ: dict[str, str] | None = None) -> bool:
    """Ask glibc (2.35+) to back the blocks it mmaps with transparent huge pages, in the worker processes.

    With ``S2CART_ARGON2_RELEASE_MEMORY`` every hash maps its 19 MiB buffer afresh: in 4 KiB pages that is ~4,900
    page faults a hash (23 ms a hash instead of 14.7 on this machine, two threads), in 2 MiB pages ten (16.4 ms).
    glibc reads GLIBC_TUNABLES only when a process starts, so this is set here, in the parent, before uvicorn
    spawns the workers; a single in-process worker runs without it. An operator's own setting is kept.
    """
    env = os.environ if environ is None else environ
    current = env.get("GLIBC_TUNABLES", "")
    if not settings.argon2_release_memory or "glibc.malloc.hugetlb" in current:
        return False
    env["GLIBC_TUNABLES"] = f"{current}:{HUGE_PAGES_TUNABLE}" if current else HUGE_PAGES_TUNABLE
    return True


THREADS_ENV = "S2CART_ARGON2_MAX_THREADS"


def hashing_threads_per_worker(workers: int, cores: int, environ: dict[str, str] | None = None) -> int | None:
    """Give each worker its share of the cores for argon2, unless the operator chose S2CART_ARGON2_MAX_THREADS.

    Hashing is CPU-bound: more hashing threads than cores only queue for the CPU, and each keeps a 19 MiB buffer
    while it hashes. Two workers with two threads each on two cores peaked at 163-165 MB a worker in a sign-in
    storm; one thread each keeps both cores hashing with one buffer a worker. Set in the parent's environment,
    which the spawned workers read; returns the value set, or None when the operator's stands.
    """
    env = os.environ if environ is None else environ
    if THREADS_ENV in env:
        return None
    threads = max(1, cores // max(1, workers))
    env[THREADS_ENV] = str(threads)
    return threads


def serve(settings: Settings, options: ServeOptions, target: str = APP_FACTORY) -> int:
    import uvicorn

    workers = options.workers or available_cores()
    transparent_huge_pages_for_malloc(settings)
    hashing_threads_per_worker(workers, available_cores())
    with metrics_directory(workers) as directory:
        logger.info(
            "serving on %s:%d with %d workers (database pool %d+%d each, reads 2 x %d, metrics %s)",
            options.host,
            options.port,
            workers,
            settings.database_pool_size,
            settings.database_max_overflow,
            settings.database_read_pool_size,
            f"shared in {directory}" if directory else "per process",
        )
        uvicorn.run(
            target,
            factory=True,
            host=options.host,
            port=options.port,
            workers=workers,
            loop="uvloop",
            http="httptools",
            ws="none",  # no websocket route: no websocket implementation in each worker (~2.5 MiB; decision 0053)
            backlog=options.backlog,
            proxy_headers=False,  # client IPs are resolved by the app against S2CART_TRUSTED_PROXIES
            server_header=False,
            date_header=True,
            timeout_keep_alive=options.keep_alive_seconds,
            timeout_graceful_shutdown=options.graceful_timeout_seconds,
            log_level=settings.log_level.lower(),
            log_config=None,  # uvicorn's own lines go through S2Cart's handler (JSON or console, redacted)
            access_log=False,  # S2Cart writes its own access line, with the route template and user id
        )
    return 0
