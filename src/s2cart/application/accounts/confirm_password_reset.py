"""ConfirmPasswordReset: by link token or by email + OTP, single use, ending every session."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.ports.security import PasswordHasher, SecretDigest
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWork, UnitOfWorkFactory
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.users import rules
from s2cart.domain.users.one_time_code import CodePolicy, CodePurpose, OneTimeCode
from s2cart.domain.users.passwords import PasswordPolicy
from s2cart.domain.users.user import User

INVALID = "Invalid OTP or token."


@dataclass(frozen=True)
class ConfirmResetCommand:
    password: str
    token: str | None = None
    email: str | None = None
    otp: str | None = None

    @property
    def method(self) -> str:
        return "token" if self.token else "otp"


class ConfirmPasswordReset:
    """- Either ``token`` or ``email`` + ``otp``; the code is spent on success.
    - The new password obeys the registration rules.
    - Success lifts a lockout and ends every session of the account, on every device."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        digest: SecretDigest,
        clock: Clock,
        codes: CodePolicy,
        passwords: PasswordPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._digest = digest
        self._clock = clock
        self._codes = codes
        self._passwords = passwords

    async def __call__(self, cmd: ConfirmResetCommand) -> str:
        if not cmd.token and not (cmd.email and cmd.otp):
            raise ValidationFailed.on("non_field_errors", "Either token or (email and otp) must be provided.")
        now = self._clock.now()
        async with self._uow() as uow:
            user, code = await self._find(uow, cmd)
            if user is None or code is None:
                await uow.commit()  # keep a wrong OTP's attempt count
                raise ValidationFailed.on("token" if cmd.token else "otp", INVALID)
            self._passwords.check(cmd.password, [user.username, user.email, user.first_name, user.last_name])
            password_hash = await self._hasher.hash(cmd.password)
            code.consume(now)
            user.change_password(password_hash, now)
            assert user.id is not None
            await uow.sessions.revoke_all(user.id, now, "password_reset")
            await uow.commit()
        return cmd.method

    async def _find(self, work: UnitOfWork, cmd: ConfirmResetCommand) -> tuple[User | None, OneTimeCode | None]:
        now = self._clock.now()
        purpose = CodePurpose.RESET_PASSWORD.value
        if cmd.token:
            code = await work.codes.by_token_digest(purpose, self._digest(cmd.token))
            if code is None or not code.token_usable(now):
                return None, None
            return await work.users.get(code.user_id), code
        assert cmd.email is not None and cmd.otp is not None
        user = await work.users.by_email(rules.email_key(cmd.email))
        if user is None or user.id is None or not (cmd.otp.isdigit() and len(cmd.otp) == 6):
            return None, None
        code = await work.codes.latest_for(user.id, purpose)
        if code is None or not code.try_otp(self._digest(cmd.otp), now, self._codes):
            return None, None
        return user, code
