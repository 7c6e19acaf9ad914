from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.users import users
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.users.user import LockoutPolicy, User

_TAKEN = {
    "uq_users_username_key": ("username", "A user with that username already exists."),
    "uq_users_email_key": ("email", "A user with that email already exists."),
}


class SqlAlchemyUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user: User) -> None:
        self._session.add(user)
        try:
            await self._session.flush()
        except IntegrityError as exc:
            text = str(exc.orig)
            errors = {field: [message] for name, (field, message) in _TAKEN.items() if name in text}
            # SQLite names columns, not constraints, in its message.
            if not errors:
                if "username_key" in text:
                    errors = {"username": [_TAKEN["uq_users_username_key"][1]]}
                elif "email_key" in text:
                    errors = {"email": [_TAKEN["uq_users_email_key"][1]]}
            if not errors:
                raise
            raise ValidationFailed("Validation failed", errors=errors) from None

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def by_email(self, email_key: str) -> User | None:
        result = await self._session.execute(select(User).where(users.c.email_key == email_key))
        return result.scalar_one_or_none()

    async def by_username(self, username_key: str) -> User | None:
        result = await self._session.execute(select(User).where(users.c.username_key == username_key))
        return result.scalar_one_or_none()

    async def record_failed_login(self, user_id: int, now: datetime, policy: LockoutPolicy) -> datetime | None:
        # One atomic increment, so parallel wrong guesses all count.
        result = await self._session.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(failed_login_attempts=users.c.failed_login_attempts + 1)
            .returning(users.c.failed_login_attempts)
        )
        failures = result.scalar_one()
        locked_until = policy.locked_until_after(failures, now)
        if locked_until is not None:
            await self._session.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(locked_until=locked_until, failed_login_attempts=0, updated_at=now)
            )
        return locked_until
