"""SignIn: credentials in, a device session out (JWT pair or legacy token), under the lockout rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from s2cart.application.auth.session_starter import SessionStarter, StartedSession
from s2cart.application.ports.accounts import UserRepository
from s2cart.application.ports.security import PasswordHasher
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.sessions.session import AuthScheme, Device
from s2cart.domain.shared.errors import TooManyAttempts, ValidationFailed
from s2cart.domain.users import rules
from s2cart.domain.users.errors import AccountLocked, AccountNotVerified, InvalidCredentials
from s2cart.domain.users.sign_in_throttle import SignInThrottlePolicy, ThrottleCheck
from s2cart.domain.users.user import LockoutPolicy, User


@dataclass(frozen=True)
class SignInCommand:
    password: str
    device: Device
    scheme: AuthScheme
    username: str | None = None
    email: str | None = None
    client_ip: str | None = None


@dataclass(frozen=True)
class SignedIn:
    user: User
    started: StartedSession


class SignIn:
    """- An address and account pair with too many recent failures (or an address over its much higher ceiling) is
      refused before any password is checked (429 AUTH_006); the pair's blocks grow with each one in a row.
    - A locked account is refused whatever the password (403 AUTH_003, with the unlock time).
    - Unknown account and wrong password answer alike (400 AUTH_001) and cost one hash each.
    - A failure counts against the account (atomically), the address and account pair, and the address; the
      fifth locks the account. Success clears the pair's count.
    - Unverified accounts are refused (403 AUTH_002) once the password is proven.
    - Success resets the count, records last_login, rehashes an outdated hash and opens a session."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        sessions: SessionStarter,
        clock: Clock,
        lockout: LockoutPolicy,
        throttle: SignInThrottlePolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._sessions = sessions
        self._clock = clock
        self._lockout = lockout
        self._throttle = throttle

    async def __call__(self, cmd: SignInCommand) -> SignedIn:
        if not (cmd.username or cmd.email):
            raise ValidationFailed.on("non_field_errors", "Provide a username or an email.")
        now = self._clock.now()
        checks = self._throttle.checks(cmd.client_ip, self._account_of(cmd)) if cmd.client_ip else []
        async with self._uow() as uow:
            for check in checks:
                state = await uow.login_throttle.state(check.key)
                blocked_until = state.blocked(now) if state is not None else None
                if state is not None and blocked_until is not None:
                    raise TooManyAttempts(
                        "Too many failed login attempts: try again later",
                        retry_after=int((blocked_until - now).total_seconds()) + 1,
                        limit_type=check.rule.limit_type,
                        current_usage=f"{state.failures}/{check.rule.max_failures}",
                    )
            user = await self._find(uow.users, cmd)
        if user is None or user.id is None or not user.is_active:
            await self._hasher.verify_dummy(cmd.password)
            await self._record_failure(None, checks, now)
            raise InvalidCredentials()
        if user.is_locked(now):
            assert user.locked_until is not None
            raise AccountLocked(user.locked_until)
        if not await self._hasher.verify(user.password_hash, cmd.password):
            locked_until = await self._record_failure(user.id, checks, now)
            if locked_until is not None:
                raise AccountLocked(locked_until)
            raise InvalidCredentials()
        if not user.is_verified:
            raise AccountNotVerified()
        new_hash = await self._hasher.hash(cmd.password) if self._hasher.needs_rehash(user.password_hash) else None
        async with self._uow() as uow:
            current = await uow.users.get(user.id)
            if current is None:
                raise InvalidCredentials()
            current.signed_in(now)
            if new_hash is not None:
                current.password_hash = new_hash
            started = await self._sessions.start(uow, user.id, cmd.scheme, cmd.device, now)
            if len(checks) > 1:
                await uow.login_throttle.forget(checks[0].key)  # the pair's count; the address keeps its own
            await uow.commit()
        return SignedIn(user=current, started=started)

    @staticmethod
    async def _find(repo: UserRepository, cmd: SignInCommand) -> User | None:
        if cmd.email:
            return await repo.by_email(rules.email_key(cmd.email))
        assert cmd.username is not None
        return await repo.by_username(cmd.username.strip().casefold())

    @staticmethod
    def _account_of(cmd: SignInCommand) -> str | None:
        if cmd.email:
            return rules.email_key(cmd.email)
        return cmd.username.strip().casefold() if cmd.username else None

    async def _record_failure(self, user_id: int | None, checks: list[ThrottleCheck], now: datetime) -> datetime | None:
        locked_until = None
        async with self._uow() as uow:
            if user_id is not None:
                locked_until = await uow.users.record_failed_login(user_id, now, self._lockout)
            for check in checks:
                await uow.login_throttle.record_failure(check.key, check.rule, now)
            await uow.commit()
        return locked_until
