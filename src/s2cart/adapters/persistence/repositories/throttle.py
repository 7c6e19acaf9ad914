from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.accounts import login_throttles
from s2cart.domain.users.sign_in_throttle import ThrottleRule, ThrottleState

_T = login_throttles.c


class SqlAlchemyLoginThrottleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def state(self, key: str) -> ThrottleState | None:
        row = (
            await self._session.execute(
                select(_T.failures, _T.window_started_at, _T.strikes, _T.blocked_until).where(_T.throttle_key == key)
            )
        ).first()
        return ThrottleState(row.failures, row.window_started_at, row.strikes, row.blocked_until) if row else None

    async def record_failure(self, key: str, rule: ThrottleRule, now: datetime) -> ThrottleState:
        # Insert the row if missing, then lock it: parallel failures under one key are counted one after the other
        # (SQLite's BEGIN IMMEDIATE already serialises writers; FOR UPDATE does it on PostgreSQL).
        dialect = self._session.bind.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        await self._session.execute(
            insert(login_throttles)
            .values(throttle_key=key, failures=0, window_started_at=now, strikes=0)
            .on_conflict_do_nothing(index_elements=[_T.throttle_key])
        )
        row = (
            await self._session.execute(
                select(_T.failures, _T.window_started_at, _T.strikes, _T.blocked_until)
                .where(_T.throttle_key == key)
                .with_for_update()
            )
        ).one()
        current = ThrottleState(row.failures, row.window_started_at, row.strikes, row.blocked_until)
        after = current.after_failure(rule, now)
        await self._session.execute(
            update(login_throttles)
            .where(_T.throttle_key == key)
            .values(
                failures=after.failures,
                window_started_at=after.window_started_at,
                strikes=after.strikes,
                blocked_until=after.blocked_until,
            )
        )
        return after

    async def forget(self, key: str) -> None:
        await self._session.execute(delete(login_throttles).where(_T.throttle_key == key))
