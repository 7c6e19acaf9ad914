from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.engine import autocommit

logger = logging.getLogger(__name__)


class SqlAlchemyDatabaseProbe:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = autocommit(engine)

    async def is_reachable(self) -> bool:
        try:
            async with self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:
            logger.warning("database probe failed: %s", type(exc).__name__)
            return False
        return True
