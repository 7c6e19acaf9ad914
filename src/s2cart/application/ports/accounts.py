"""Repositories for accounts, their one-time codes, sessions and sign-in throttling."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from s2cart.application.accounts.views import ProfileView
from s2cart.domain.sessions.session import Session
from s2cart.domain.users.one_time_code import OneTimeCode
from s2cart.domain.users.sign_in_throttle import ThrottleRule, ThrottleState
from s2cart.domain.users.user import LockoutPolicy, User


class UserRepository(Protocol):
    async def add(self, user: User) -> None:
        """Raise ValidationFailed naming ``username`` or ``email`` when either is taken."""
        ...

    async def get(self, user_id: int) -> User | None: ...

    async def by_email(self, email_key: str) -> User | None: ...

    async def by_username(self, username_key: str) -> User | None: ...

    async def record_failed_login(self, user_id: int, now: datetime, policy: LockoutPolicy) -> datetime | None:
        """Count one failure atomically; return when the account is locked until, if this locked it."""
        ...


class OneTimeCodeRepository(Protocol):
    async def add(self, code: OneTimeCode) -> None: ...

    async def by_token_digest(self, purpose: str, token_digest: str) -> OneTimeCode | None: ...

    async def latest_for(self, user_id: int, purpose: str) -> OneTimeCode | None:
        """The newest unconsumed code, locked for update where the database can."""
        ...

    async def invalidate(self, user_id: int, purpose: str, now: datetime) -> None: ...


class SessionRepository(Protocol):
    async def add(self, session: Session) -> None: ...

    async def get(self, session_id: str) -> Session | None: ...

    async def revoke(self, session_id: str, now: datetime, reason: str) -> bool: ...

    async def revoke_all(self, user_id: int, now: datetime, reason: str, device_type: str | None = None) -> int: ...

    async def alive_for(self, user_id: int, now: datetime) -> Sequence[Session]: ...

    async def delete_dead(self, now: datetime) -> int: ...


class RefreshRotation(Protocol):
    async def __call__(
        self, session_id: str, user_id: int, old_jti: str, new_jti: str, now: datetime, expires_at: datetime
    ) -> bool:
        """Atomically swap the current refresh jti of the user's live JWT session (not revoked, ``now`` before its
        expiry; ``Session.refresh_verdict`` would say ROTATE) and commit it, outside any unit of work: the swap is
        one statement, a transaction of its own. False when nothing was swapped (and nothing written): another
        rotation won, or the session is dead, someone else's or not a JWT session."""
        ...


class LoginThrottleRepository(Protocol):
    async def state(self, key: str) -> ThrottleState | None: ...

    async def record_failure(self, key: str, rule: ThrottleRule, now: datetime) -> ThrottleState:
        """Count one failure under ``key`` atomically; the state after it."""
        ...

    async def forget(self, key: str) -> None: ...


class ProfileReader(Protocol):
    async def profile(self, user_id: int, now: datetime) -> ProfileView | None: ...
