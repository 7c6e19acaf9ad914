"""Processes the bench drives: servers on local ports, wrk pinned to its own core, RSS sampled meanwhile."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LUA = HERE / "lua"


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def workers(self) -> list[int]:
        """The worker processes: the server's children (uvicorn's parent only supervises)."""
        found: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            found.extend(int(pid) for pid in children)
        workers = [
            pid for pid in found if "multiprocessing" in _cmdline(pid) and "resource_tracker" not in _cmdline(pid)
        ]
        return workers or [self.process.pid]

    def stop(self, timeout: float = 40) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(10)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory now (VmRSS), or its peak since it started (``field="VmHWM"``), in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def start(name: str, argv: list[str], env: Mapping[str, str], port: int, ready_path: str, log: Path) -> Server:
    out = log.open("wb")
    process = subprocess.Popen(argv, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited at start; see {log}")
        try:
            with urllib.request.urlopen(base + ready_path, timeout=1) as answer:
                if answer.status == 200:
                    return Server(name, process, base, log)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{name} did not answer {ready_path} within 60 s; see {log}")


def get(url: str, headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class RssSampler:
    """Peak RSS of each worker while load runs, sampled every 200 ms."""

    server: Server
    peaks: dict[int, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> RssSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for pid in self.server.workers():
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), rss_mb(pid))


@contextlib.contextmanager
def profiled(name: str, server: Server, args: Any, work: Path) -> Iterator[None]:
    """``--profile NAME``: py-spy samples one worker for the scenario; collapsed stacks go to .work/."""
    spy_bin = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if name not in args.profile.split(",") or not Path(spy_bin).exists():
        yield
        return
    out = work / f"profile-{name}.txt"
    spy = subprocess.Popen(
        [
            spy_bin,
            "record",
            "--pid",
            str(server.workers()[0]),
            "--duration",
            str(round(args.seconds)),
            "--rate",
            "200",
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        spy.wait(60)
        print(f"  profile of one worker: {out}")


def wrk_command(script: str, url: str, connections: int, seconds: float) -> list[str]:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{round(seconds)}s", "--timeout", "10s", "-s", str(LUA / script), url]
    # The load generator gets core 1 to itself as far as this 2-core machine allows; servers float.
    return (["taskset", "-c", "1"] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []) + argv


def run_wrk(script: str, url: str, connections: int, seconds: float, env: Mapping[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        wrk_command(script, url, connections, seconds),
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wrk_result(process: subprocess.Popen[str]) -> dict[str, float]:
    output, _ = process.communicate(timeout=600)
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            raw = json.loads(line.removeprefix("BENCH_JSON "))
            seconds = raw["duration_us"] / 1e6
            errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
            return {
                "requests": raw["requests"],
                "rps": round(raw["requests"] / seconds, 1),
                "p50_ms": raw["p50_us"] / 1000,
                "p90_ms": raw["p90_us"] / 1000,
                "p99_ms": raw["p99_us"] / 1000,
                "max_ms": raw["max_us"] / 1000,
                "errors": errors,
                "non_2xx": raw["status"],
            }
    raise SystemExit(f"wrk gave no result:\n{output}")


@dataclass
class ActivitySampler:
    """``--activity``: what the database's client backends are doing while load runs, from pg_stat_activity every
    20 ms (decision 0041), counting only S2Cart's own connections (``application_name`` ``APP_NAME``, which
    run.py gives the S2Cart server's database URL; the reference server's are not counted). Load-independent evidence of where a write's time goes: waiting for a row lock, for the
    WAL flush, for the application mid-transaction (``idle in transaction``: the app's event loop or its pool),
    running, or idle in a pool. ``mean`` is the average number of backends in each state per sample."""

    dsn: str
    database: str
    counts: dict[str, int] = field(default_factory=dict)
    samples: int = 0
    lock_waits_max: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    QUERY = (
        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
        "WHERE datname = %s AND application_name = %s AND backend_type = 'client backend'"
    )
    APP_NAME = "s2cart_bench"

    def __enter__(self) -> ActivitySampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def kind(state: str | None, wait_type: str | None, wait: str | None) -> str:
        if state == "idle in transaction":
            return "app_in_transaction"
        if state != "active":
            return "idle"
        if wait_type == "Lock":
            return "lock_wait"
        if wait and wait.startswith("WAL"):
            return "wal_flush"
        if wait_type == "IO":
            return "io"
        return "running" if wait_type is None else f"other_{wait_type}"

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self._stop.wait(0.02):
                rows = conn.execute(self.QUERY, (self.database, self.APP_NAME)).fetchall()
                self.samples += 1
                locks = 0
                for state, wait_type, wait in rows:
                    kind = self.kind(state, wait_type, wait)
                    self.counts[kind] = self.counts.get(kind, 0) + 1
                    locks += kind == "lock_wait"
                self.lock_waits_max = max(self.lock_waits_max, locks)

    def summary(self) -> dict[str, Any]:
        n = max(self.samples, 1)
        return {
            "samples": self.samples,
            "mean": {kind: round(count / n, 2) for kind, count in sorted(self.counts.items())},
            "lock_waits_max": self.lock_waits_max,
        }
