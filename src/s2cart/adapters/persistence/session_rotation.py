"""The refresh token swap on a connection of its own, outside any ORM session (decision 0046).

A refresh that succeeds is one conditional UPDATE (decision 0041): the WHERE is ``Session.refresh_verdict``'s
ROTATE and, on the current jti, a compare-and-swap, so of parallel rotations with one token exactly one wins.
A single statement is a transaction by itself: on PostgreSQL it runs in AUTOCOMMIT on the hot readers' psycopg
pool (decision 0044: no SQLAlchemy checkout, no pre-ping; no BEGIN, no COMMIT, no ORM session, unit of work or
repositories built for it), as the session lookup's activity touch does (decision 0049). A connection the server
dropped meanwhile fails the statement before it could commit or after it did: the swap runs once more on a fresh
one, which is safe either way, since a swap that committed has changed the jti its WHERE asks for and matches
nothing the second time (the slow path then says why, as for any spent token). SQLite runs the same statement
through Core in a transaction of its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.readers.base import Reader, once_more_if_lost, raw_execute
from s2cart.adapters.persistence.tables.accounts import sessions
from s2cart.adapters.persistence.uow import CommitMarks
from s2cart.application.conflict_retry import transaction_committed
from s2cart.domain.sessions.session import AuthScheme

# Bound names differ from the column names: update() reserves those for its SET clause.
_SWAP = (
    update(sessions)
    .where(
        sessions.c.id == bindparam("b_session_id"),
        sessions.c.user_id == bindparam("b_user_id"),
        sessions.c.scheme == bindparam("b_scheme"),
        sessions.c.refresh_jti == bindparam("b_old_jti"),
        sessions.c.revoked_at.is_(None),
        sessions.c.expires_at > bindparam("b_now"),
    )
    .values(
        refresh_jti=bindparam("b_new_jti"),
        previous_refresh_jti=bindparam("b_old_jti"),
        rotated_at=bindparam("b_now"),
        expires_at=bindparam("b_expires_at"),
        last_activity=bindparam("b_now"),
    )
    .returning(sessions.c.id)
)


class SqlRefreshRotation(Reader):
    """``RefreshRotation``: the swap, committed when it returns True; nothing written when it returns False."""

    def __init__(self, engine: Any, marks: CommitMarks | None = None) -> None:
        """``engine``: the readers' (``engine.Reads`` on PostgreSQL, whose driver pool runs the swap; the one
        engine on SQLite)."""
        super().__init__(engine)
        self._core_engine: AsyncEngine = engine
        self._swap = self.query(_SWAP)
        self._marks = marks  # with read replicas: the user's last commit, as a unit of work's commit records it

    async def __call__(
        self, session_id: str, user_id: int, old_jti: str, new_jti: str, now: datetime, expires_at: datetime
    ) -> bool:
        params = {
            "b_session_id": session_id,
            "b_user_id": user_id,
            "b_scheme": AuthScheme.JWT.value,
            "b_old_jti": old_jti,
            "b_new_jti": new_jti,
            "b_now": now,
            "b_expires_at": expires_at,
        }
        # For the conflict retry (decision 0023) only a swap that committed counts: one that wrote nothing leaves
        # the unit of work that explains it the call's first transaction, run again on a conflict as before.
        swapped = await self._swapped(params)
        if swapped:
            transaction_committed()
            if self._marks is not None:
                await self._marks.committed()
        return swapped

    @once_more_if_lost
    async def _swapped(self, params: dict[str, Any]) -> bool:
        if self._swap.sql is None:
            async with self._core_engine.begin() as connection:
                return bool((await connection.execute(_SWAP, params)).first())
        if self._driver is not None:
            return bool(await self.rows(self._swap, params))  # the driver pool, in AUTOCOMMIT
        async with self.connect() as connection:  # AUTOCOMMIT: the UPDATE commits itself
            return bool(await raw_execute(connection, self._swap.sql, params))
