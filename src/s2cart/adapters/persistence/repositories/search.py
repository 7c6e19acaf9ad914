from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.repositories.owner_lock import lock_owner
from s2cart.adapters.persistence.tables.search import search_history
from s2cart.domain.search.history import SearchEntry


class SqlAlchemySearchHistoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def latest(self, user_id: int) -> SearchEntry | None:
        await lock_owner(self._session, user_id)
        result = await self._session.execute(
            select(SearchEntry)
            .where(search_history.c.user_id == user_id)
            .order_by(search_history.c.searched_at.desc(), search_history.c.id.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()

    async def add(self, entry: SearchEntry) -> None:
        self._session.add(entry)
        await self._session.flush()

    async def count(self, user_id: int) -> int:
        result = await self._session.execute(
            select(func.count()).select_from(search_history).where(search_history.c.user_id == user_id)
        )
        return int(result.scalar_one())

    async def drop_oldest(self, user_id: int, how_many: int) -> None:
        oldest = (
            select(search_history.c.id)
            .where(search_history.c.user_id == user_id)
            .order_by(search_history.c.searched_at, search_history.c.id)
            .limit(how_many)
        )
        await self._session.execute(
            delete(search_history)
            .where(search_history.c.id.in_(oldest.scalar_subquery()))
            .execution_options(synchronize_session=False)
        )

    async def clear(self, user_id: int) -> int:
        result = await self._session.execute(
            delete(search_history)
            .where(search_history.c.user_id == user_id)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
