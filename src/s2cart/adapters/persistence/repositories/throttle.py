from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.accounts import login_failures
from s2cart.adapters.persistence.types import UtcDateTime
from s2cart.domain.users.user import IpThrottlePolicy


class SqlAlchemyLoginThrottleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def blocked_until(self, ip: str, now: datetime, policy: IpThrottlePolicy) -> datetime | None:
        row = (
            await self._session.execute(
                select(login_failures.c.failures, login_failures.c.window_started_at).where(
                    login_failures.c.ip_address == ip
                )
            )
        ).first()
        if row is None:
            return None
        return policy.blocked_until(row.failures, row.window_started_at, now)

    async def record_failure(self, ip: str, now: datetime, policy: IpThrottlePolicy) -> None:
        # An upsert, so parallel failures from one address all count; an expired window starts again.
        dialect = self._session.bind.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(login_failures).values(ip_address=ip, failures=1, window_started_at=now)
        expired = login_failures.c.window_started_at <= now - policy.window
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[login_failures.c.ip_address],
                set_={
                    "failures": case((expired, 1), else_=login_failures.c.failures + 1),
                    "window_started_at": case(
                        (expired, literal(now, UtcDateTime())), else_=login_failures.c.window_started_at
                    ),
                },
            )
        )
