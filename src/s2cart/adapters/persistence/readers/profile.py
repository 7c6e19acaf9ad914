from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from s2cart.adapters.persistence.mappers import start_mappers
from s2cart.adapters.persistence.readers.addresses import addresses_of
from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.accounts import sessions
from s2cart.adapters.persistence.tables.carts import carts
from s2cart.application.accounts.views import ProfileView
from s2cart.domain.users.user import User


class SqlAlchemyProfileReader(Reader):
    """The profile page in a fixed number of queries: the user, then the counts beside it."""

    def __init__(self, engine: AsyncEngine) -> None:
        start_mappers()
        super().__init__(engine)

    async def profile(self, user_id: int, now: datetime) -> ProfileView | None:
        async with self.connect() as connection:
            # The user is the mapped domain object: an ORM session on this reader's connection loads it.
            async with AsyncSession(bind=connection, expire_on_commit=False) as session:
                user = await session.get(User, user_id)
                if user is None:
                    return None
                session.expunge(user)
            active = await self._active_sessions(connection, user_id, now)
            cart_count = await connection.execute(
                select(func.count()).select_from(carts).where(carts.c.user_id == user_id)
            )
            saved = await addresses_of(connection, user_id)
        return ProfileView(
            user=user,
            active_sessions_count=active,
            total_carts_count=int(cart_count.scalar_one()),
            saved_addresses=saved,
        )

    @staticmethod
    async def _active_sessions(connection: AsyncConnection, user_id: int, now: datetime) -> int:
        result = await connection.execute(
            select(func.count())
            .select_from(sessions)
            .where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None), sessions.c.expires_at > now)
        )
        return int(result.scalar_one())
