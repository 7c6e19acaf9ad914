"""Idempotency keys, each step in a transaction of its own (the request runs between them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from s2cart.adapters.persistence.sessions import AsyncSessionFactory
from s2cart.adapters.persistence.tables.orders import idempotency_keys
from s2cart.application.ports.orders import StoredResponse

T = idempotency_keys


class SqlAlchemyIdempotencyStore:
    def __init__(self, session_factory: AsyncSessionFactory) -> None:
        self._sessions = session_factory

    async def claim(self, user_id: int, scope: str, key: str, fingerprint: str, now: datetime) -> StoredResponse | None:
        where = (T.c.user_id == user_id, T.c.scope == scope, T.c.key == key)
        async with self._sessions() as session:
            try:
                await session.execute(
                    insert(T).values(user_id=user_id, scope=scope, key=key, fingerprint=fingerprint, created_at=now)
                )
                await session.commit()
                return None
            except IntegrityError:
                await session.rollback()  # the primary key says someone holds this key: read what it holds
            row = (await session.execute(select(T.c.fingerprint, T.c.status_code, T.c.body).where(*where))).first()
        if row is None:  # released between our insert and our read: the caller may simply try again
            return StoredResponse(fingerprint=fingerprint, status_code=None, body=None)
        return StoredResponse(row.fingerprint, row.status_code, row.body)

    async def complete(self, user_id: int, scope: str, key: str, status_code: int, body: bytes) -> None:
        async with self._sessions() as session:
            await session.execute(
                update(T)
                .where(T.c.user_id == user_id, T.c.scope == scope, T.c.key == key)
                .values(status_code=status_code, body=body)
            )
            await session.commit()

    async def release(self, user_id: int, scope: str, key: str) -> None:
        async with self._sessions() as session:
            await session.execute(
                delete(T).where(T.c.user_id == user_id, T.c.scope == scope, T.c.key == key, T.c.status_code.is_(None))
            )
            await session.commit()

    async def purge(self, before: datetime) -> int:
        async with self._sessions() as session:
            result = await session.execute(delete(T).where(T.c.created_at < before))
            await session.commit()
        return int(result.rowcount)  # type: ignore[attr-defined]
