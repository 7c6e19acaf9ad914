"""``s2cart db current`` and ``s2cart db revision`` (autogenerate), on a database of their own."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from s2cart.adapters.persistence import migrator
from tests.integration.payments.test_payment_cli import s2cart
from tests.integration.persistence.test_migrations import fresh_url  # noqa: F401  (the fixture)


def _execute(url: str, statement: str) -> None:
    async def run() -> None:
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.begin() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    asyncio.run(run())


def test_current_says_where_the_database_is_and_revision_writes_only_what_differs(
    fresh_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    env = {"S2CART_DATABASE_URL": fresh_url}
    [head] = migrator.current(fresh_url)[1]
    versions = tmp_path / "versions"
    versions.mkdir()

    empty = s2cart("db", "current", **env)
    assert empty.returncode == 0, empty.stderr
    assert f"database at base (no migrations applied) (behind: the code's head is {head})" in empty.stdout
    behind = s2cart("db", "revision", "-m", "too early", "--directory", str(versions), **env)
    assert behind.returncode == 1 and "no revision written" in behind.stderr and "not up to date" in behind.stderr

    assert s2cart("db", "upgrade", process=True, **env).returncode == 0
    current = s2cart("db", "current", "--json", **env)
    assert current.returncode == 0, current.stderr
    assert json.loads(current.stdout) == {"current": [head], "heads": [head], "up_to_date": True}

    same = s2cart("db", "revision", "-m", "nothing", "--directory", str(versions), **env)
    assert same.returncode == 0, same.stderr
    assert "no differences between the tables and the database" in same.stdout
    assert list(versions.iterdir()) == []

    _execute(fresh_url, "CREATE TABLE stray (id INTEGER PRIMARY KEY)")
    written = s2cart("db", "revision", "-m", "drop stray", "--directory", str(versions), **env)
    assert written.returncode == 0, written.stderr
    number = f"{int(head) + 1:04d}"
    [script] = versions.iterdir()
    assert script.name == f"{number}_drop_stray.py" and f"wrote {script}" in written.stdout
    source = script.read_text()
    assert f"revision = '{number}'" in source and f"down_revision = '{head}'" in source
    assert "op.drop_table('stray')" in source
