from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.mappers import start_mappers
from s2cart.adapters.persistence.readers.addresses import addresses_of
from s2cart.adapters.persistence.session_factory import AsyncSessionFactory
from s2cart.adapters.persistence.tables.accounts import sessions
from s2cart.adapters.persistence.tables.carts import carts
from s2cart.application.accounts.profile import ProfileView
from s2cart.domain.users.user import User


class SqlAlchemyProfileReader:
    """The profile page in a fixed number of queries: the user, then the counts beside it."""

    def __init__(self, session_factory: AsyncSessionFactory) -> None:
        start_mappers()
        self._session_factory = session_factory

    async def profile(self, user_id: int, now: datetime) -> ProfileView | None:
        async with self._session_factory() as session:
            user = await session.get(User, user_id)
            if user is None:
                return None
            active = await self._active_sessions(session, user_id, now)
            cart_count = await session.execute(
                select(func.count()).select_from(carts).where(carts.c.user_id == user_id)
            )
            saved = await addresses_of(await session.connection(), user_id)
            session.expunge(user)
        return ProfileView(
            user=user,
            active_sessions_count=active,
            total_carts_count=int(cart_count.scalar_one()),
            saved_addresses=saved,
        )

    @staticmethod
    async def _active_sessions(session: AsyncSession, user_id: int, now: datetime) -> int:
        result = await session.execute(
            select(func.count())
            .select_from(sessions)
            .where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None), sessions.c.expires_at > now)
        )
        return int(result.scalar_one())
