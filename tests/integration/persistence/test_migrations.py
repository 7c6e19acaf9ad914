from __future__ import annotations

import asyncio
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from s2cart.adapters.persistence import migrator
from s2cart.adapters.persistence.tables import metadata
from s2cart.adapters.persistence.tables.catalog import is_search_object


def _inspect(url: str) -> tuple[set[str], list[object]]:
    def work(connection: Connection) -> tuple[set[str], list[object]]:
        names = set(inspect(connection).get_table_names())
        # The search indexes and SQLite's FTS5 tables are dialect-specific and live outside the metadata.
        opts = {"include_name": lambda name, _type, _parents: not is_search_object(name)}
        diff = compare_metadata(MigrationContext.configure(connection, opts=opts), metadata)
        return names, diff

    async def run() -> tuple[set[str], list[object]]:
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(work)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path, pg_server_url: str | None):  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/migrations.db"
        return
    if pg_server_url is None:
        pytest.skip("PostgreSQL not configured")
    admin = make_url(pg_server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"s2cart_mig_{tmp_path.name[-8:].replace('-', '_').lower()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_upgrade_downgrade_upgrade_matches_the_model(fresh_url: str) -> None:
    expected = {table.name for table in metadata.sorted_tables}

    migrator.upgrade(fresh_url)
    tables, diff = _inspect(fresh_url)
    assert expected <= tables
    assert diff == [], f"migrations and tables.py disagree: {diff}"

    migrator.downgrade(fresh_url, "base")
    tables, _ = _inspect(fresh_url)
    assert tables & expected == set()

    migrator.upgrade(fresh_url)
    tables, diff = _inspect(fresh_url)
    assert expected <= tables
    assert diff == []
