"""A redis-server of a test's own, on a free loopback port, that the test may pause (SIGSTOP) and resume."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import redis


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RedisServer:
    process: subprocess.Popen[bytes]
    url: str

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL: Redis goes away at once, its connections reset."""
        self.process.kill()
        self.process.wait()

    @contextmanager
    def paused(self) -> Iterator[None]:
        self.pause()
        try:
            yield
        finally:
            self.resume()


@contextmanager
def redis_server(port: int | None = None) -> Iterator[RedisServer]:
    """``port``: a fixed one (a test that restarts Redis where its clients expect it); a free one by default."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: CI must run the Redis fault tests")
        pytest.skip("redis-server is not installed")
    with tempfile.TemporaryDirectory(prefix="s2cart-redis-") as directory:
        port = port or _free_port()
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = RedisServer(process, f"redis://127.0.0.1:{port}/0")
        try:
            client = redis.Redis.from_url(server.url, socket_timeout=1)
            deadline = time.monotonic() + 10
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise
                    time.sleep(0.05)
            client.close()
            yield server
        finally:
            if process.poll() is None:
                server.resume()  # a stopped process cannot act on SIGTERM
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
