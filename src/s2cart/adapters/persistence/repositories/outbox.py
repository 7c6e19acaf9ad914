from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
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

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int, ids: Sequence[int] | None = None
    ) -> list[OutboxMessage]:
        query = (
            select(outbox)
            .where(
                outbox.c.delivered_at.is_(None),
                outbox.c.next_attempt_at.is_not(None),
                outbox.c.next_attempt_at <= now,
            )
            .order_by(outbox.c.id)
            .limit(limit)
        )
        if ids is not None:
            query = query.where(outbox.c.id.in_(list(ids)))
        claimed: list[OutboxMessage] = []
        for row in (await self._session.execute(query)).all():
            # Compare-and-set on the due time: a message another worker leased meanwhile is skipped.
            result = await self._session.execute(
                update(outbox)
                .where(outbox.c.id == row.id, outbox.c.next_attempt_at == row.next_attempt_at)
                .values(next_attempt_at=lease_until)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                claimed.append(
                    OutboxMessage(
                        id=row.id,
                        topic=row.topic,
                        payload=row.payload,
                        created_at=row.created_at,
                        attempts=row.attempts,
                        next_attempt_at=lease_until,
                        last_error=row.last_error,
                    )
                )
        return claimed

    async def mark_delivered(self, message_id: int, now: datetime, scrubbed: Mapping[str, Any]) -> None:
        await self._session.execute(
            update(outbox)
            .where(outbox.c.id == message_id)
            .values(
                delivered_at=now,
                next_attempt_at=None,
                payload=dict(scrubbed),
                attempts=outbox.c.attempts + 1,
                last_error=None,
            )
        )

    async def mark_failed(self, message_id: int, attempts: int, next_attempt_at: datetime | None, error: str) -> None:
        await self._session.execute(
            update(outbox)
            .where(outbox.c.id == message_id)
            .values(attempts=attempts, next_attempt_at=next_attempt_at, last_error=error)
        )
