"""SqlAlchemyUnitOfWork: one AsyncSession, one transaction, committed only when told."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.errors import translate
from s2cart.adapters.persistence.repositories.carts import SqlAlchemyCartBookRepository
from s2cart.adapters.persistence.repositories.catalog import SqlAlchemyCatalog
from s2cart.adapters.persistence.repositories.outbox import SqlAlchemyOutboxRepository
from s2cart.adapters.persistence.sessions import AsyncSessionFactory


class SqlAlchemyUnitOfWork:
    def __init__(self, session_factory: AsyncSessionFactory) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._session_factory()
        self.outbox = SqlAlchemyOutboxRepository(self._session)
        self.catalog = SqlAlchemyCatalog(self._session)
        self.carts = SqlAlchemyCartBookRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        self._session = None
        try:
            await session.rollback()
        except Exception:  # noqa: S110 - the connection is already gone; closing below is what matters
            pass
        finally:
            await session.close()
        if exc is not None:
            translated = translate(exc)
            if translated is not exc:
                raise translated from exc

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
