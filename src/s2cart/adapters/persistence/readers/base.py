"""What every reader stands on: the engine's pool, one connection per read, AUTOCOMMIT on PostgreSQL.

Readers run outside units of work. Under READ COMMITTED each statement sees its own snapshot whether or not a
transaction wraps it, so a read of several statements loses nothing in AUTOCOMMIT and saves the BEGIN and the
ROLLBACK that would bracket it (decisions 0021 and 0031). SQLite keeps its transactions (see ``read_options``).
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from s2cart.adapters.persistence.engine import autocommit


class Reader:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = autocommit(engine)
        self._dialect = engine.dialect.name

    def connect(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A pooled connection for one read; returned to the pool when the block ends."""
        return self._engine.connect()
