"""``make scale-test``: two S2Cart hosts in network namespaces of their own (root only; not in ``make test``)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from s2cart.adapters.persistence import migrator
from tests.integration.replication.cluster import Replicated, replicated_clusters
from tests.scale.network import HOST_SIDE, Namespaces, namespaces

# Ports of this test's own: its PostgreSQL primary and standby, its Redis, the gateway simulator, the hosts.
PRIMARY_PORT, REPLICA_PORT, REDIS_PORT, SIMULATOR_PORT, HOST_PORT = 55434, 55435, 8351, 8352, 8360
DATABASE = "s2cart"

if not os.environ.get("S2CART_SCALE_TEST"):
    pytest.skip("make scale-test runs these (root, network namespaces)", allow_module_level=True)


@dataclass
class Shop:
    hosts: list[str]  # base URLs, one per namespace
    clusters: Replicated
    simulator: str
    redis_url: str
    logs: Path

    def sql(self, statement: str) -> list[tuple[object, ...]]:
        return self.clusters.primary.execute(statement, DATABASE)


def _process(argv: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)


def _wait(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.2)


def _gateway_env(simulator: str) -> dict[str, str]:
    exports = subprocess.run(
        [sys.executable, "-m", "s2cart.entrypoints.cli", "gateways", "env", "--url", simulator],
        check=True, capture_output=True, text=True, env={**os.environ, "S2CART_DOTENV": "off"},
    ).stdout  # fmt: skip
    values = {}
    for line in exports.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        values[name] = shlex.split(value)[0]
    return values


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    if os.geteuid() != 0 or shutil.which("ip") is None or shutil.which("redis-server") is None:
        pytest.fail("make scale-test needs root, iproute2 (ip) and redis-server")
    logs = tmp_path_factory.mktemp("scale")
    processes: list[subprocess.Popen[bytes]] = []
    with namespaces(2) as network, replicated_clusters(PRIMARY_PORT, REPLICA_PORT, f"127.0.0.1,{HOST_SIDE}") as pg:
        try:
            yield _start(network, pg, logs, processes)
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            for process in processes:
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()


def _start(network: Namespaces, pg: Replicated, logs: Path, processes: list[subprocess.Popen[bytes]]) -> Shop:
    pg.primary.execute(f"CREATE DATABASE {DATABASE}")
    primary_url = pg.primary.url(DATABASE)
    migrator.upgrade(primary_url)
    cli = [sys.executable, "-m", "s2cart.entrypoints.cli"]
    subprocess.run([*cli, "catalog", "load", "--demo"], check=True, capture_output=True,
                   env={**os.environ, "S2CART_DATABASE_URL": primary_url, "S2CART_DOTENV": "off"})  # fmt: skip
    pg.wait_replayed()

    redis_log = logs / "redis.log"
    redis = _process(["redis-server", "--bind", HOST_SIDE, "--port", str(REDIS_PORT), "--save", "",
                      "--appendonly", "no", "--protected-mode", "no"], redis_log)  # fmt: skip
    processes.append(redis)
    simulator = f"http://{HOST_SIDE}:{SIMULATOR_PORT}"
    sim_log = logs / "simulator.log"
    processes.append(_process([*cli, "gateways", "simulate", "--host", HOST_SIDE, "--port", str(SIMULATOR_PORT)],
                              sim_log, {**os.environ, "S2CART_DOTENV": "off"}))  # fmt: skip
    _wait(f"{simulator}/_sim/paytm/notifications", processes[-1], sim_log)

    redis_url = f"redis://{HOST_SIDE}:{REDIS_PORT}/0"
    hosts = []
    for i, address in enumerate(network.addresses):
        base = f"http://{address}:{HOST_PORT}"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("S2CART_")},
            "S2CART_DOTENV": "off",
            "S2CART_DATABASE_URL": pg.primary.url(DATABASE, host=HOST_SIDE),
            "S2CART_DATABASE_READ_URL": pg.replica.url(DATABASE, host=HOST_SIDE),
            "S2CART_DATABASE_READ_MAX_LAG_SECONDS": "60",
            "S2CART_REDIS_URL": redis_url,
            "S2CART_RATE_LIMIT_STORAGE": redis_url,
            "S2CART_TRUSTED_PROXIES": HOST_SIDE,  # the test plays nginx: it names each client's address
            "S2CART_PUBLIC_BASE_URL": base,
            "S2CART_OUTBOX_INTERVAL_SECONDS": "0",
            "S2CART_ARGON2_TIME_COST": "1",
            "S2CART_ARGON2_MEMORY_KIB": "1024",
            "S2CART_LOG_FORMAT": "json",
            **_gateway_env(simulator),
        }
        log = logs / f"host{i}.log"
        serve = [*cli, "serve", "--host", address, "--port", str(HOST_PORT), "--workers", "1"]
        processes.append(_process(network.command(i, serve), log, env))
        _wait(f"{base}/api/auth/live/", processes[-1], log)
        hosts.append(base)
    return Shop(hosts, pg, simulator, redis_url, logs)
