"""Operator commands behind the CLI: small enough to share a file, each a use case of its own."""

from __future__ import annotations

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.shared.errors import NotFound
from s2cart.domain.users import rules
from s2cart.domain.users.user import Tier, User


class FindUser:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, email: str) -> User:
        async with self._uow() as uow:
            user = await uow.users.by_email(rules.email_key(email))
        if user is None:
            raise NotFound(f"No user with email {email}")
        return user


class UnlockUser:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, email: str) -> User:
        async with self._uow() as uow:
            user = await uow.users.by_email(rules.email_key(email))
            if user is None:
                raise NotFound(f"No user with email {email}")
            user.unlock(self._clock.now())
            await uow.commit()
        return user


class SetUserTier:
    """The tier feeds the rate limits; sessions stay valid and pick the new tier up on their next request."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, email: str, tier: Tier) -> User:
        async with self._uow() as uow:
            user = await uow.users.by_email(rules.email_key(email))
            if user is None:
                raise NotFound(f"No user with email {email}")
            user.set_tier(tier, self._clock.now())
            await uow.commit()
        return user


class RevokeUserSessions:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, email: str, device_type: str | None = None) -> int:
        async with self._uow() as uow:
            user = await uow.users.by_email(rules.email_key(email))
            if user is None or user.id is None:
                raise NotFound(f"No user with email {email}")
            count = await uow.sessions.revoke_all(user.id, self._clock.now(), "operator", device_type)
            await uow.commit()
        return count


class CleanupSessions:
    """Delete sessions that expired or were revoked (their refresh tokens die with them)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self) -> int:
        async with self._uow() as uow:
            count = await uow.sessions.delete_dead(self._clock.now())
            await uow.commit()
        return count
