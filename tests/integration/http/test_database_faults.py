"""Faults: the PostgreSQL server goes away under a running app and comes back.

A throwaway cluster is created by the test (initdb/pg_ctl in a temp dir owned by the postgres user) so it can be
stopped hard (`pg_ctl stop -m immediate`, as a crash would) without disturbing anyone else's database.
Redis going away is covered by test_rate_limits_redis.py, SMTP going away by test_mail_outbox.py.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from litestar import Litestar
from sqlalchemy import event

from s2cart.adapters.persistence import migrator
from s2cart.entrypoints.container import Container, build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.http.customers import concurrent_client
from tests.integration.mailbox import Mailbox, free_port

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
ADDRESS = {
    "contact_name": "John Doe",
    "street_address": "123 Main Street",
    "city": "Mumbai",
    "state": "Maharashtra",
    "pin_code": "400001",
    "phone_number": "+919876543210",
}


class Cluster:
    """A PostgreSQL server of the test's own, which the test may stop and start."""

    def __init__(self, root: Path) -> None:
        self.bin = Path(BINARIES[-1])
        self.data = root / "data"
        self.port = free_port()
        self.log = root / "server.log"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
        )

    def stop(self) -> None:
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if not BINARIES or shutil.which("runuser") is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    if os.geteuid() != 0:
        pytest.skip("creating a throwaway cluster needs root (to run initdb as the postgres user)")
    # Not under pytest's tmp_path: its parents are root-only, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="s2cart-pgfault-"))
    postgres = pwd.getpwnam("postgres")
    os.chown(root, postgres.pw_uid, postgres.pw_gid)
    found = Cluster(root)
    found.init()
    found.start()
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{found.port}/postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE s2cart")
    migrator.upgrade(found.url("s2cart"))
    yield found
    subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            str(found.bin / "pg_ctl"),
            "-D",
            str(found.data),
            "-m",
            "immediate",
            "stop",
        ],
        check=False,
        capture_output=True,
    )
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def settings(cluster: Cluster, smtp_server: Mailbox) -> Settings:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{cluster.port}/s2cart", autocommit=True) as conn:
        tables = conn.execute(
            "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        ).fetchone()
        assert tables and tables[0]
        conn.execute(f"TRUNCATE {tables[0]} RESTART IDENTITY CASCADE")
    return make_settings(cluster.url("s2cart"), smtp_host="127.0.0.1", smtp_port=smtp_server.port)


@pytest.fixture
def container(settings: Settings) -> Container:
    return build_container(settings)


@pytest.fixture
def app(container: Container) -> Litestar:
    return create_app(container=container)


async def _shopper(client: httpx.AsyncClient, container: Container, mailbox: Mailbox) -> tuple[dict[str, str], int]:
    await load_demo_catalog(container)
    headers = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])  # type: ignore[arg-type]
    created = await client.post("/api/auth/addresses/", headers=headers, json=ADDRESS)
    assert created.status_code == 201, created.text
    added = await client.post(
        "/api/auth/cart/items/",
        headers=headers,
        json={"store_id": "store_123", "product_id": "prod_001", "quantity": 2},
    )
    assert added.status_code == 201, added.text
    return headers, int(created.json()["data"]["id"])


def _assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["status"] == "error" and body["code"] == 503 and body["error_code"] == "SYS_503", body
    assert set(body) >= {"message", "errors", "timestamp"}
    assert "postgres" not in response.text.lower() and "connection" not in response.text.lower()
    assert response.headers.get("Retry-After") == "5"


async def _until_back(client: httpx.AsyncClient, headers: dict[str, str], seconds: float = 20) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        response = await client.get("/api/auth/carts/", headers=headers)
        if response.status_code != 503 or time.monotonic() > deadline:
            return response


async def test_requests_get_503_while_the_database_is_down_and_the_app_recovers_by_itself(
    app: Litestar, container: Container, cluster: Cluster, mailbox: Mailbox
) -> None:
    async with concurrent_client(app, container) as client:
        headers, _address_id = await _shopper(client, container, mailbox)
        before = await client.get("/api/auth/carts/", headers=headers)
        assert before.status_code == 200, before.text
        cluster.stop()
        try:
            for method, url, body in [
                ("GET", "/api/auth/carts/", None),
                ("GET", "/api/auth/profile/", None),
                ("GET", "/api/auth/orders/", None),
                ("POST", "/api/auth/search-history/", {"query": "rice"}),
                ("POST", "/api/auth/jwt/", {"email": "nobody@example.com", "password": "x" * 12}),
            ]:
                _assert_unavailable(await client.request(method, url, headers=headers, json=body))
            health = await client.get("/api/auth/health/")
            assert health.status_code == 503, health.text
        finally:
            cluster.start()
        after = await _until_back(client, headers)
        assert after.status_code == 200, after.text
        assert after.content == before.content


async def test_a_checkout_cut_off_mid_transaction_leaves_the_cart_untouched(
    app: Litestar, container: Container, cluster: Cluster, mailbox: Mailbox
) -> None:
    async with concurrent_client(app, container) as client:
        headers, address_id = await _shopper(client, container, mailbox)
        cart = (await client.get("/api/auth/carts/store/store_123/", headers=headers)).json()["data"]
        carts_before = (await client.get("/api/auth/carts/", headers=headers)).content
        stopped: list[str] = []

        def crash_on_order_lines(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            # The order row is written by now; the server dies before its lines are.
            if not stopped and statement.lstrip().upper().startswith("INSERT INTO ORDER_ITEMS"):
                stopped.append(statement)
                cluster.stop()

        engine = container.engine().sync_engine
        event.listen(engine, "before_cursor_execute", crash_on_order_lines)
        try:
            body = {"cart_id": cart["id"], "shipping_address_id": address_id}
            interrupted = await client.post("/api/auth/orders/", headers=headers, json=body)
        finally:
            event.remove(engine, "before_cursor_execute", crash_on_order_lines)
            cluster.start()
        assert stopped, "the checkout never reached its order lines"
        _assert_unavailable(interrupted)

        assert (await _until_back(client, headers)).content == carts_before
        orders = (await client.get("/api/auth/orders/", headers=headers)).json()
        assert orders["pagination"]["total_count"] == 0, orders
        async with container.uow() as uow:
            product = await uow.catalog.product("store_123", "prod_001")
        assert product is not None and product.stock == 100

        retried = await client.post("/api/auth/orders/", headers=headers, json=body)
        assert retried.status_code == 201, retried.text
        assert [(i["product_id"], i["quantity"]) for i in retried.json()["data"]["items"]] == [("prod_001", 2)]
        assert (await client.get("/api/auth/carts/", headers=headers)).json()["data"] == []
