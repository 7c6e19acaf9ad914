"""The authentication hot path: one primary-key lookup joined to the user, in SQLAlchemy Core."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select, update

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.accounts import sessions
from s2cart.adapters.persistence.tables.users import users
from s2cart.application.ports.auth import SessionRecord
from s2cart.domain.sessions.session import ACTIVITY_RESOLUTION

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


class SqlAlchemySessionLookup(Reader):
    # Every statement here stands alone (the touch is one conditional UPDATE): no BEGIN/ROLLBACK around it.

    async def by_session_id(self, session_id: str) -> SessionRecord | None:
        return await self._one(_base().where(sessions.c.id == session_id))

    async def by_token_digest(self, token_digest: str) -> SessionRecord | None:
        return await self._one(_base().where(sessions.c.token_digest == token_digest))

    async def touch(self, session_id: str, now: datetime) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(sessions)
                .where(sessions.c.id == session_id, sessions.c.last_activity <= now - ACTIVITY_RESOLUTION)
                .values(last_activity=now)
            )

    async def _one(self, query: Select[tuple[object, ...]]) -> SessionRecord | None:
        async with self.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            return None
        return SessionRecord(
            session_id=row.id,
            user_id=row.user_id,
            scheme=row.scheme,
            device_type=row.device_type,
            last_activity=row.last_activity,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            tier=row.tier,
            is_verified=row.is_verified,
            is_active=row.is_active,
        )


def _base() -> Select[tuple[object, ...]]:
    return select(*_COLUMNS).join(users, users.c.id == sessions.c.user_id)
