from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.outbox import outbox
from s2cart.application.ports.outbox import OutboxMessage


class SqlAlchemyOutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, message: OutboxMessage) -> None:
        result = await self._session.execute(
            insert(outbox)
            .values(
                topic=message.topic,
                payload=dict(message.payload),
                created_at=message.created_at,
                attempts=message.attempts,
                next_attempt_at=message.next_attempt_at or message.created_at,
            )
            .returning(outbox.c.id)
        )
        message.id = result.scalar_one()

    async def count_pending(self) -> int:
        result = await self._session.execute(
            select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
        )
        return int(result.scalar_one())
