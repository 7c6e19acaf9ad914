"""Register: a new, unverified account with a legacy token session and a verification mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from s2cart.application.accounts.codes import CodeIssuer
from s2cart.application.auth.session_starter import SessionStarter
from s2cart.application.ports.security import PasswordHasher
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.sessions.session import AuthScheme, Device
from s2cart.domain.shared.errors import ErrorCollector, ValidationFailed
from s2cart.domain.users import rules
from s2cart.domain.users.one_time_code import CodePurpose
from s2cart.domain.users.passwords import PasswordPolicy
from s2cart.domain.users.user import User


@dataclass(frozen=True)
class RegisterCommand:
    username: str
    email: str
    password: str
    device: Device
    first_name: str = ""
    last_name: str = ""
    phone_number: str | None = None


@dataclass(frozen=True)
class Registered:
    user: User
    token: str
    expires_at: datetime
    outbox_id: int


class Register:
    """Create an account.

    - Every field is checked and all problems are reported at once, by field.
    - Username and email are unique case-insensitively (the database constraint settles races).
    - The password is hashed off the event loop; the account starts unverified.
    - The verification mail is queued in the same transaction as the account, never lost.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        sessions: SessionStarter,
        codes: CodeIssuer,
        clock: Clock,
        passwords: PasswordPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._sessions = sessions
        self._codes = codes
        self._clock = clock
        self._passwords = passwords

    async def __call__(self, cmd: RegisterCommand) -> Registered:
        found = ErrorCollector()
        username = found.check(lambda: rules.username_of(cmd.username))
        email = found.check(lambda: rules.email_of(cmd.email))
        first_name = found.check(lambda: rules.name_of(cmd.first_name, "first_name"))
        last_name = found.check(lambda: rules.name_of(cmd.last_name, "last_name"))
        phone = found.check(lambda: rules.phone_of(cmd.phone_number) if cmd.phone_number else None)
        personal = [cmd.username, cmd.email, cmd.first_name, cmd.last_name]
        found.check(lambda: self._passwords.check(cmd.password, personal))
        found.raise_if_any()
        assert username is not None and email is not None

        password_hash = await self._hasher.hash(cmd.password)
        now = self._clock.now()
        async with self._uow() as uow:
            taken: dict[str, list[str]] = {}
            if await uow.users.by_username(username[1]) is not None:
                taken["username"] = ["A user with that username already exists."]
            if await uow.users.by_email(email[1]) is not None:
                taken["email"] = ["A user with that email already exists."]
            if taken:
                raise ValidationFailed("Validation failed", errors=taken)
            user = User(
                username=username[0],
                username_key=username[1],
                email=email[0],
                email_key=email[1],
                password_hash=password_hash,
                date_joined=now,
                updated_at=now,
                first_name=first_name or "",
                last_name=last_name or "",
                phone_number=phone,
            )
            await uow.users.add(user)
            assert user.id is not None
            started = await self._sessions.start(uow, user.id, AuthScheme.TOKEN, cmd.device, now)
            message = await self._codes.issue(uow, user, CodePurpose.VERIFY_EMAIL, now)
            await uow.commit()
        assert started.legacy_token is not None and message.id is not None
        return Registered(
            user=user, token=started.legacy_token, expires_at=started.session.expires_at, outbox_id=message.id
        )
