"""``s2cart serve`` in a process of its own on a free port: for tests that stop it (SIGTERM) or kill it (SIGKILL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.integration.mailbox import free_port


@contextmanager
def serving(
    database_url: str, log: Path, workers: int = 1, **settings: str
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A server with ``workers`` worker processes (with one, the process is the worker); ``settings`` are
    S2CART_* variables without the prefix. Yields the process and its base URL once it answers; kills it at the end."""
    port = free_port()
    env = {
        **os.environ,
        "S2CART_DATABASE_URL": database_url,
        "S2CART_OUTBOX_INTERVAL_SECONDS": "0",
        "S2CART_RATE_LIMIT_ENABLED": "false",
        "S2CART_LOG_FORMAT": "json",
        **{f"S2CART_{name.upper()}": value for name, value in settings.items()},
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "s2cart.entrypoints.cli", "serve", "--workers", str(workers), "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/auth/live/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
