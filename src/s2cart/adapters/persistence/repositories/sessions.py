from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.auth_changes import mark_auth_changed
from s2cart.adapters.persistence.tables.accounts import sessions
from s2cart.domain.sessions.session import Session


class SqlAlchemySessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, session: Session) -> None:
        self._session.add(session)
        await self._session.flush()

    async def get(self, session_id: str) -> Session | None:
        return await self._session.get(Session, session_id)

    async def revoke(self, session_id: str, now: datetime, reason: str) -> bool:
        result = await self._session.execute(
            update(sessions)
            .where(sessions.c.id == session_id, sessions.c.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            mark_auth_changed(self._session)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def revoke_all(self, user_id: int, now: datetime, reason: str, device_type: str | None = None) -> int:
        statement = update(sessions).where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
        if device_type is not None:
            statement = statement.where(sessions.c.device_type == device_type)
        result = await self._session.execute(
            statement.values(revoked_at=now, revoked_reason=reason).execution_options(synchronize_session=False)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            mark_auth_changed(self._session)
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def alive_for(self, user_id: int, now: datetime) -> Sequence[Session]:
        result = await self._session.execute(
            select(Session)
            .where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None), sessions.c.expires_at > now)
            .order_by(sessions.c.last_activity.desc(), sessions.c.created_at.desc())
        )
        return list(result.scalars())

    async def delete_dead(self, now: datetime) -> int:
        result = await self._session.execute(
            delete(sessions).where(or_(sessions.c.revoked_at.is_not(None), sessions.c.expires_at <= now))
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
