from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.accounts import one_time_codes
from s2cart.domain.users.one_time_code import OneTimeCode


class SqlAlchemyOneTimeCodeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, code: OneTimeCode) -> None:
        self._session.add(code)
        await self._session.flush()

    async def by_token_digest(self, purpose: str, token_digest: str) -> OneTimeCode | None:
        result = await self._session.execute(
            select(OneTimeCode)
            .where(one_time_codes.c.purpose == purpose, one_time_codes.c.token_digest == token_digest)
            .with_for_update()
        )
        return result.scalar_one_or_none()

    async def latest_for(self, user_id: int, purpose: str) -> OneTimeCode | None:
        # FOR UPDATE serialises parallel OTP guesses, so the attempt cap cannot be outrun.
        result = await self._session.execute(
            select(OneTimeCode)
            .where(
                one_time_codes.c.user_id == user_id,
                one_time_codes.c.purpose == purpose,
                one_time_codes.c.consumed_at.is_(None),
            )
            .order_by(one_time_codes.c.id.desc())
            .limit(1)
            .with_for_update()
        )
        return result.scalar_one_or_none()

    async def invalidate(self, user_id: int, purpose: str, now: datetime) -> None:
        await self._session.execute(
            update(one_time_codes)
            .where(
                one_time_codes.c.user_id == user_id,
                one_time_codes.c.purpose == purpose,
                one_time_codes.c.consumed_at.is_(None),
            )
            .values(consumed_at=now)
            .execution_options(synchronize_session=False)
        )
