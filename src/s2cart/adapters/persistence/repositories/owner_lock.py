"""The user's row as the lock for changes that must see all of that user's rows at once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.users import users


async def lock_owner(session: AsyncSession, user_id: int) -> bool:
    """Hold the user's row until the transaction ends, so checks over several rows (one default, a cap, a
    repeat) cannot be outrun by a parallel request of the same user. False when there is no such user.

    PostgreSQL: FOR NO KEY UPDATE, which still lets other transactions insert rows referencing the user (their
    foreign-key checks take KEY SHARE). Under READ COMMITTED every later statement of this transaction then sees
    what the previous lock holder committed. SQLite: every transaction already begins IMMEDIATE (one writer at
    a time), so the FOR clause is simply not rendered.
    """
    query = select(users.c.id).where(users.c.id == user_id).with_for_update(key_share=True)
    return (await session.execute(query)).first() is not None
