"""The authentication hot path: one primary-key lookup joined to the user, on the raw driver on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.readers.base import Query, Reader
from s2cart.adapters.persistence.tables.accounts import sessions
from s2cart.adapters.persistence.tables.users import users
from s2cart.application.ports.auth import SessionRecord
from s2cart.domain.sessions.session import ACTIVITY_RESOLUTION

# In SessionRecord's field order: a row is the record's arguments as they stand.
_COLUMNS = (
    sessions.c.id,
    sessions.c.user_id,
    sessions.c.scheme,
    sessions.c.device_type,
    sessions.c.last_activity,
    sessions.c.expires_at,
    sessions.c.revoked_at,
    users.c.tier,
    users.c.is_verified,
    users.c.is_active,
)
_FIELDS = (
    "session_id",
    "user_id",
    "scheme",
    "device_type",
    "last_activity",
    "expires_at",
    "revoked_at",
    "tier",
    "is_verified",
    "is_active",
)
_TOUCH = (
    update(sessions)
    .where(sessions.c.id == bindparam("session_id"), sessions.c.last_activity <= bindparam("stale_before"))
    .values(last_activity=bindparam("now"))
)


class SqlAlchemySessionLookup(Reader):
    # Every statement here stands alone (the touch is one conditional UPDATE): no BEGIN/ROLLBACK around it.

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._by_id = self.query(_base().where(sessions.c.id == bindparam("key")))
        self._by_digest = self.query(_base().where(sessions.c.token_digest == bindparam("key")))
        self._touch = self.query(_TOUCH)

    async def by_session_id(self, session_id: str) -> SessionRecord | None:
        return await self._one(self._by_id, session_id)

    async def by_token_digest(self, token_digest: str) -> SessionRecord | None:
        return await self._one(self._by_digest, token_digest)

    async def touch(self, session_id: str, now: datetime) -> None:
        params = {"session_id": session_id, "stale_before": now - ACTIVITY_RESOLUTION, "now": now}
        if self._touch.sql is None:
            async with self._engine.begin() as connection:
                await connection.execute(_TOUCH, params)
            return
        await self.rows(self._touch, params)  # AUTOCOMMIT: the UPDATE commits itself

    async def _one(self, query: Query, key: str) -> SessionRecord | None:
        rows = await self.rows(query, {"key": key})
        if not rows:
            return None
        return SessionRecord(**dict(zip(_FIELDS, rows[0], strict=True)))


def _base() -> Select[tuple[object, ...]]:
    return select(*_COLUMNS).join(users, users.c.id == sessions.c.user_id)
