"""Reads take connections that are in AUTOCOMMIT already and are not pinged (decision 0044): a cart page is its
statement and nothing else, and a connection the server dropped costs a second try, not an error answer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from s2cart.entrypoints.container import Container
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.mailbox import Mailbox


@pytest.fixture
async def shopper(client: Client, container: Container, mailbox: Mailbox) -> dict[str, str]:
    await load_demo_catalog(container)
    headers = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])
    added = await client.post(
        "/api/auth/cart/items/",
        headers=headers,
        json={"store_id": "store_123", "product_id": "prod_001", "quantity": 2},
    )
    assert added.status_code == 201, added.text
    return headers


class Seen:
    """The statements every engine of the container runs (the readers' engine reports to the primary's
    listeners) and the pool's pings, which no statement listener sees."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.pings = 0

    def statement(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            self.statements.append(" ".join(statement.split()))

    def of(self, table: str) -> list[str]:
        return [s for s in self.statements if f"FROM {table} " in s]


@pytest.fixture
def seen(container: Container, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seen]:
    found = Seen()
    engine = container.engine().sync_engine
    for dialect in {id(e.dialect): e.dialect for e in (engine, container.reads().sync_engine)}.values():
        ping = dialect.do_ping

        def counted(dbapi_connection: Any, ping: Any = ping) -> bool:
            found.pings += 1
            return bool(ping(dbapi_connection))

        monkeypatch.setattr(dialect, "do_ping", counted)
    event.listen(engine, "before_cursor_execute", found.statement)
    yield found
    event.remove(engine, "before_cursor_execute", found.statement)


async def test_a_cart_page_is_one_statement_for_the_carts_and_no_ping_on_postgresql(
    client: Client, shopper: dict[str, str], seen: Seen, backend: str
) -> None:
    assert (await client.get("/api/auth/carts/", headers=shopper)).status_code == 200  # the pools are warm
    seen.statements.clear()
    seen.pings = 0
    answer = await client.get("/api/auth/carts/", headers=shopper)
    assert answer.status_code == 200 and len(answer.json()["data"]) == 1
    # The session check (no session cache without Redis) and the carts with their lines: one statement each.
    assert len(seen.of("carts")) == 1, seen.statements
    assert len(seen.of("sessions")) == 1, seen.statements
    assert len(seen.statements) == 2, seen.statements
    if backend == "postgresql":
        assert seen.pings == 0  # the units of work's pool pings; the readers' does not


def terminate_other_backends(url: str) -> int:
    """pg_terminate_backend of every connection to the test's database but this one: the app's pools are left
    holding connections the server has dropped, as after a restart or an idle timeout."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        killed = [
            pid
            for pid, done in admin.execute(
                "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            ).fetchall()
            if done
        ]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # until they are gone, so the next request finds them dead
            gone = admin.execute("SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s))", [killed])
            if gone.fetchone() == (True,):
                break
            time.sleep(0.01)
    return len(killed)


async def test_a_read_on_a_connection_the_server_dropped_is_run_again_on_a_fresh_one(
    client: Client, container: Container, shopper: dict[str, str], seen: Seen, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    before = await client.get("/api/auth/carts/", headers=shopper)
    assert before.status_code == 200
    assert terminate_other_backends(container.settings().database_url) >= 1
    seen.statements.clear()
    after = await client.get("/api/auth/carts/", headers=shopper)
    assert after.status_code == 200, after.text
    assert after.content == before.content
    # The session check met its dead connection and ran once more (nothing pinged it first); that failure told
    # the pool its older connections are suspect, so the carts' read went to a fresh one straight away.
    assert len(seen.of("sessions")) == 2 and len(seen.of("carts")) == 1, seen.statements
    assert seen.pings == 0
    # The pool knows its older connections are suspect: the next read is one statement again.
    seen.statements.clear()
    assert (await client.get("/api/auth/carts/", headers=shopper)).status_code == 200
    assert len(seen.statements) == 2, seen.statements


async def test_the_order_pages_survive_a_dropped_connection_too(
    client: Client, container: Container, shopper: dict[str, str], backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    before = await client.get("/api/auth/orders/?page=1", headers=shopper)
    assert before.status_code == 200
    terminate_other_backends(container.settings().database_url)
    after = await client.get("/api/auth/orders/?page=1", headers=shopper)
    assert after.status_code == 200, after.text
    assert after.json()["data"] == before.json()["data"]


async def test_the_other_readers_statements_are_counted_and_not_pinged_either(
    client: Client, shopper: dict[str, str], seen: Seen, backend: str
) -> None:
    assert (await client.get("/api/auth/profile/", headers=shopper)).status_code == 200  # the pools are warm
    seen.statements.clear()
    seen.pings = 0
    assert (await client.get("/api/auth/profile/", headers=shopper)).status_code == 200
    # The profile is Core statements on the read engine, which tells the primary engine's listeners of them.
    assert [s for s in seen.statements if "FROM sessions " not in s or "count(" in s], seen.statements
    if backend == "postgresql":
        assert seen.pings == 0


async def test_a_merging_add_after_a_restart_is_answered_on_a_fresh_connection(
    client: Client, container: Container, shopper: dict[str, str], seen: Seen, backend: str
) -> None:
    """Add-item's merge shares the hot readers' pool (decision 0048). The request's session check meets the dead
    connection first and runs again; the pool then takes its older connections for suspect, and the merge, which is
    not run twice, gets a fresh one: 201, one unit more, no ping."""
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    body = {"store_id": "store_123", "product_id": "prod_001", "quantity": 1}
    assert (await client.post("/api/auth/cart/items/", headers=shopper, json=body)).status_code == 201
    assert terminate_other_backends(container.settings().database_url) >= 1
    seen.statements.clear()

    added = await client.post("/api/auth/cart/items/", headers=shopper, json=body)

    assert added.status_code == 201, added.text
    assert added.json()["data"]["quantity"] == 4
    # The session check twice, then the merge's two statements (the lock, the line's UPDATE): no unit of work.
    assert len(seen.of("sessions")) == 2 and len(seen.statements) == 4, seen.statements
    assert "FOR NO KEY UPDATE" in seen.statements[2] and "UPDATE cart_items" in seen.statements[3]
    assert seen.pings == 0


async def test_a_refresh_swap_on_a_connection_the_server_dropped_runs_once_more_and_rotates(
    client: Client, container: Container, mailbox: Mailbox, seen: Seen, backend: str
) -> None:
    # decision 0049: the swap runs on the readers' driver pool, unpinged; a dropped connection is a second try.
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    first = await jwt_login(client, await verified(client, mailbox))
    warm = await client.post("/api/auth/jwt/refresh/", json={"refresh": first["refresh"]})
    assert warm.status_code == 200, warm.text  # the driver pool now holds the connection about to be dropped
    assert terminate_other_backends(container.settings().database_url) >= 1
    seen.statements.clear()
    seen.pings = 0
    rotated = await client.post("/api/auth/jwt/refresh/", json={"refresh": warm.json()["data"]["refresh"]})
    assert rotated.status_code == 200, rotated.text
    swaps = [s for s in seen.statements if s.startswith("UPDATE sessions SET") and "refresh_jti=" in s]
    assert len(swaps) == 2 and seen.pings == 0, seen.statements  # the dead connection's try, then a fresh one's
    # The rotation took: the token it replaced is spent (reuse within the grace window is refused, not revoking).
    again = await client.post("/api/auth/jwt/refresh/", json={"refresh": warm.json()["data"]["refresh"]})
    assert again.status_code == 401
    latest = rotated.json()["data"]["refresh"]
    assert (await client.post("/api/auth/jwt/refresh/", json={"refresh": latest})).status_code == 200
