"""The authentication hot path: one primary-key lookup joined to the user, in SQLAlchemy Core.

``last_activity`` moves at most once a minute a session. With ``batch_activity`` those writes are gathered
per worker and written together by ``flush_activity`` (the app calls it every
``S2CART_ACTIVITY_FLUSH_SECONDS``): one statement a second instead of one write, and a WAL flush, in the
path of every request that crosses a session's minute. The price is that ``last_activity`` shows up to that
interval late, and a worker that dies loses its last interval of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.engine import autocommit
from s2cart.adapters.persistence.tables.accounts import sessions
from s2cart.adapters.persistence.tables.users import users
from s2cart.application.auth.principal import SessionRecord
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


# One conditional UPDATE a session, sent as one executemany: a session already touched this minute (by
# another worker) is left alone.
_TOUCH = (
    update(sessions)
    .where(
        sessions.c.id == bindparam("session_id"),
        sessions.c.last_activity <= bindparam("cutoff", type_=sessions.c.last_activity.type),
    )
    .values(last_activity=bindparam("at", type_=sessions.c.last_activity.type))
)


class SqlAlchemySessionLookup:
    def __init__(self, engine: AsyncEngine, batch_activity: bool = False) -> None:
        # Every statement here stands alone (the touch is one conditional UPDATE): no BEGIN/ROLLBACK around it.
        self._engine = autocommit(engine)
        self._batch_activity = batch_activity
        self._pending: dict[str, datetime] = {}

    async def by_session_id(self, session_id: str) -> SessionRecord | None:
        return await self._one(_base().where(sessions.c.id == session_id))

    async def by_token_digest(self, token_digest: str) -> SessionRecord | None:
        return await self._one(_base().where(sessions.c.token_digest == token_digest))

    async def touch(self, session_id: str, now: datetime) -> None:
        if self._batch_activity:
            self._pending[session_id] = max(now, self._pending.get(session_id, now))
            return
        await self._write_activity({session_id: now})

    async def flush_activity(self) -> int:
        """Write the gathered ``last_activity`` values; how many sessions they were."""
        pending, self._pending = self._pending, {}
        if pending:
            await self._write_activity(pending)
        return len(pending)

    async def _write_activity(self, pending: dict[str, datetime]) -> None:
        rows = [{"session_id": key, "at": at, "cutoff": at - ACTIVITY_RESOLUTION} for key, at in pending.items()]
        async with self._engine.begin() as connection:
            await connection.execute(_TOUCH, rows)

    async def _one(self, query: Select[tuple[object, ...]]) -> SessionRecord | None:
        async with self._engine.connect() as connection:
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
