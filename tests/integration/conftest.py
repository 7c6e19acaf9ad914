"""Real databases for integration tests: SQLite always, PostgreSQL where S2CART_TEST_DATABASE_URL points.

Each run gets a PostgreSQL database of its own (created and dropped here), migrated once; each test
starts from empty tables. SQLite tests copy a database migrated once per run, in memory-backed files where the
machine has them (``/dev/shm``): SQLite waits for its disk at every commit, and under a loaded disk (the whole
suite on two cores, PostgreSQL writing beside it) a registration once took 6.5 s, past its inline mail delivery's
5 s budget, most likely waiting on those commits. Locking, WAL and transactions are the same on tmpfs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from s2cart.adapters.persistence import migrator
from s2cart.adapters.persistence.tables import metadata
from s2cart.entrypoints.container import Container, build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.documented import ErrorLedger
from tests.integration.mailbox import Mailbox

PG_ENV = "S2CART_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]


def _admin_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: CI must cover PostgreSQL")
        return None
    return url


@pytest.fixture(scope="session")
def pg_database_url(pg_server_url: str | None) -> Iterator[str | None]:
    if pg_server_url is None:
        yield None
        return
    name = f"s2cart_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(_admin_conninfo(pg_server_url), autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {PG_ENV} is unreachable: {exc}")
    url = make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    migrator.upgrade(url)
    yield url
    with psycopg.connect(_admin_conninfo(pg_server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


MEMORY_BACKED = Path("/dev/shm")


@pytest.fixture(scope="session")
def sqlite_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where this process's SQLite test databases go: a directory of its own in /dev/shm, else the temp dir."""
    if not (MEMORY_BACKED.is_dir() and os.access(MEMORY_BACKED, os.W_OK)):
        yield tmp_path_factory.mktemp("sqlite")
        return
    path = Path(tempfile.mkdtemp(prefix="s2cart-tests-", dir=MEMORY_BACKED))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlite_template(sqlite_dir: Path) -> Path:
    path = sqlite_dir / "template.db"
    migrator.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


# The identity sequences of these tables that a test drew from, put back to their start as RESTART IDENTITY would.
_RESTART_USED_IDENTITIES = """
SELECT setval(format('%%I.%%I', q.schemaname, q.sequencename)::regclass, q.start_value, false)
FROM unnest(%(tables)s::text[]) AS t(name)
JOIN pg_depend d ON d.refobjid = to_regclass(quote_ident(t.name)) AND d.deptype IN ('a', 'i')
JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
JOIN pg_sequences q ON q.schemaname = current_schema() AND q.sequencename = s.relname
WHERE q.last_value IS NOT NULL
"""


def _truncate_pg(url: str) -> None:
    """Empty every table and restart its identity, as ``TRUNCATE ... RESTART IDENTITY CASCADE`` of all would.

    That TRUNCATE cost 0.3-0.6 s before every PostgreSQL test (1-1.5 s under load: new files for each of the 26
    tables, the server waiting on IO). Here the tables with rows are found in one round trip and emptied with
    DELETE, children first, in one transaction, and only the sequences drawn from are put back: ~15 ms when
    nothing was written, a few ms a table when something was.
    """
    # Children before their parents; the catalog's version row (migration 0051) is the schema's, not a test's data.
    names = [t.name for t in reversed(metadata.sorted_tables) if t.name != "catalog_version"]
    if not names:
        return
    nonempty = " UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in names)
    with psycopg.connect(_admin_conninfo(url), autocommit=True) as conn:
        dirty = {row[0] for row in conn.execute(nonempty)}
        with conn.transaction():
            for name in names:
                if name in dirty:
                    conn.execute(f'DELETE FROM "{name}"')
            conn.execute(_RESTART_USED_IDENTITIES, {"tables": names})


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, sqlite_dir: Path, sqlite_template: Path, pg_database_url: str | None) -> Iterator[str]:
    if backend == "sqlite":
        target = sqlite_dir / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(sqlite_template, target)
        yield f"sqlite+aiosqlite:///{target}"
        for leftover in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            leftover.unlink(missing_ok=True)  # memory-backed: a run's thousands of copies must not pile up
        return
    if pg_database_url is None:
        pytest.skip(f"PostgreSQL not configured ({PG_ENV})")
    _truncate_pg(pg_database_url)
    yield pg_database_url


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "database_url": database_url,
        "public_base_url": "http://testserver.local",
        "rate_limit_enabled": False,
        # Cheap hashing keeps the suite fast; the production parameters are the settings' defaults.
        "argon2_time_cost": 1,
        "argon2_memory_kib": 1024,
        "outbox_interval_seconds": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def shared_redis_settings(settings: Settings, redis_url: str) -> Settings:
    """``settings`` with Redis for the rate limits, the auth epoch and the session cache, as production runs."""
    return make_settings(
        settings.database_url,
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        redis_url=redis_url,
        rate_limit_enabled=True,
        rate_limit_storage=redis_url,
        session_cache_seconds=300,
    )


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Mailbox]:
    mailbox = Mailbox()
    mailbox.start()
    yield mailbox
    mailbox.stop()


@pytest.fixture
def mailbox(smtp_server: Mailbox) -> Mailbox:
    smtp_server.clear()
    return smtp_server


@pytest.fixture
def settings(database_url: str, smtp_server: Mailbox) -> Settings:
    return make_settings(database_url, smtp_host="127.0.0.1", smtp_port=smtp_server.port)


@pytest.fixture
def container(settings: Settings) -> Container:
    return build_container(settings)


@pytest.fixture
def app(container: Container) -> Litestar:
    return create_app(container=container)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """The app's test client; every error it receives is checked against the OpenAPI document (documented.py)."""
    ledger = ErrorLedger()
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        test_client.event_hooks["response"].append(ledger)
        yield test_client
    assert not ledger.found, "error answers the OpenAPI document does not list:\n" + "\n".join(ledger.found)


REDIS_ENV = "S2CART_TEST_REDIS_URL"
# Tests that share something outside their process are marked `serial`: the tests' Redis database (emptied by
# each such test), the replication pair on its fixed ports, and the race tests, which open many PostgreSQL
# connections at once (two of them side by side, with the server's 100 connections shared, were refused "too many
# clients"). `make test` runs the rest over processes (pytest-xdist) and then these in one process, one after
# another (decision 0050). Everything else is per process: its PostgreSQL database, SQLite files, mail server, ports.
# The marker is added here, at collection, so a new test that takes `redis_url` is serial without a marker. It is
# not an xdist group: pytest 9.2 derives a node's id from its structured id, so xdist 3.8's group suffix (written
# to `_nodeid`) no longer reaches the scheduler, and `--dist loadgroup` spread a group over the workers.
SERIAL = "serial"
_SHARED_FIXTURES = frozenset({"redis_url", "marks_redis"})
_RACE_MODULES = ("concurrency", "races")


@pytest.hookimpl(tryfirst=True)  # before the mark plugin's own hook, which selects by `-m`
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        races = any(word in item.path.stem for word in _RACE_MODULES)
        if fixtures & _SHARED_FIXTURES or "replication" in item.path.parts or races:
            item.add_marker(getattr(pytest.mark, SERIAL))


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The machine's Redis, emptied before and after; CI must have it, elsewhere the test is skipped."""
    url = os.environ.get(REDIS_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{REDIS_ENV} is not set: CI must cover Redis")
        pytest.skip(f"Redis not configured ({REDIS_ENV})")
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()
