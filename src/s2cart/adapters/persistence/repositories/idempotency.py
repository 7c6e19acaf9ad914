"""Idempotency keys, each step in a transaction of its own (the request runs between them).

A claim holds its key until ``lease_until``; ``claim_token`` names the request holding it. Every write after
the claim is conditional on the token, so a request whose key was taken over writes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from s2cart.adapters.persistence.session_factory import AsyncSessionFactory
from s2cart.adapters.persistence.tables.orders import idempotency_keys
from s2cart.application.ports.orders import KeyClaim, StoredResponse

T = idempotency_keys


def _key_of(claim: KeyClaim) -> tuple[ColumnElement[bool], ...]:
    return (T.c.user_id == claim.user_id, T.c.scope == claim.scope, T.c.key == claim.key)


class SqlAlchemyIdempotencyStore:
    def __init__(self, session_factory: AsyncSessionFactory) -> None:
        self._sessions = session_factory

    async def claim(
        self, claim: KeyClaim, fingerprint: str, now: datetime, lease_until: datetime
    ) -> StoredResponse | None:
        held = {"claim_token": claim.token, "lease_until": lease_until, "created_at": now}
        for _ in range(2):  # a second round only when the key was freed between our insert and our read
            async with self._sessions() as session:
                try:
                    await session.execute(
                        insert(T).values(
                            user_id=claim.user_id, scope=claim.scope, key=claim.key, fingerprint=fingerprint, **held
                        )
                    )
                    await session.commit()
                    return None
                except IntegrityError:
                    await session.rollback()  # the primary key says someone holds this key
                # One conditional UPDATE: PostgreSQL re-checks the WHERE on the row a racing UPDATE committed,
                # SQLite runs writers one at a time; either way one of several racing retries takes it over.
                # A claim without a lease comes from before leases: nobody can still be answering it.
                taken = await session.execute(
                    update(T)
                    .where(
                        *_key_of(claim),
                        T.c.fingerprint == fingerprint,
                        T.c.status_code.is_(None),
                        or_(T.c.lease_until.is_(None), T.c.lease_until <= now),
                    )
                    .values(**held)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    await session.commit()
                    return None
                row = (
                    await session.execute(
                        select(T.c.fingerprint, T.c.status_code, T.c.body, T.c.lease_until).where(*_key_of(claim))
                    )
                ).first()
                await session.commit()
            if row is not None:
                return StoredResponse(row.fingerprint, row.status_code, row.body, row.lease_until)
        return StoredResponse(fingerprint=fingerprint, status_code=None, body=None)  # busy: the caller may retry

    async def complete(self, claim: KeyClaim, status_code: int, body: bytes) -> bool:
        async with self._sessions() as session:
            result = await session.execute(
                update(T)
                .where(*_key_of(claim), T.c.claim_token == claim.token, T.c.status_code.is_(None))
                .values(status_code=status_code, body=body, lease_until=None)
            )
            await session.commit()
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def release(self, claim: KeyClaim) -> None:
        async with self._sessions() as session:
            await session.execute(
                delete(T).where(*_key_of(claim), T.c.claim_token == claim.token, T.c.status_code.is_(None))
            )
            await session.commit()

    async def purge(self, before: datetime) -> int:
        async with self._sessions() as session:
            result = await session.execute(delete(T).where(T.c.created_at < before))
            await session.commit()
        return int(result.rowcount)  # type: ignore[attr-defined]
