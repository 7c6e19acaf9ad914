"""Rows written straight into the tables, for tests that need an owner and nothing of an account's flow."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.tables.users import users


async def insert_user(engine: AsyncEngine, name: str) -> int:
    """A bare user row named ``name`` (email ``name@example.com``); its id."""
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        result = await connection.execute(
            insert(users)
            .values(
                username=name,
                username_key=name.lower(),
                email=f"{name}@example.com",
                email_key=f"{name.lower()}@example.com",
                password_hash="x",
                date_joined=now,
                updated_at=now,
            )
            .returning(users.c.id)
        )
        return int(result.scalar_one())
