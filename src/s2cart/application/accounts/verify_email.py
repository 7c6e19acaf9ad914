"""VerifyEmailByToken and VerifyEmailByOtp: the two ways a mailbox owner proves it."""

from __future__ import annotations

from s2cart.application.ports.security import SecretDigest
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.users import rules
from s2cart.domain.users.one_time_code import CodePolicy, CodePurpose

INVALID_TOKEN = "Invalid or expired token."
# One answer for an unknown email, no live code and a wrong code: the endpoint tells nobody who has an account.
INVALID_OTP = "OTP has expired or is invalid."


class VerifyEmailByToken:
    """- The link token is single-use and valid 24 hours.
    - Using it verifies the account and spends the OTP sent with it."""

    def __init__(self, uow: UnitOfWorkFactory, digest: SecretDigest, clock: Clock) -> None:
        self._uow = uow
        self._digest = digest
        self._clock = clock

    async def __call__(self, token: str) -> None:
        now = self._clock.now()
        if not 16 <= len(token) <= 128:
            raise ValidationFailed.on("token", INVALID_TOKEN)
        async with self._uow() as uow:
            code = await uow.codes.by_token_digest(CodePurpose.VERIFY_EMAIL.value, self._digest(token))
            if code is None or not code.token_usable(now):
                raise ValidationFailed.on("token", INVALID_TOKEN)
            user = await uow.users.get(code.user_id)
            if user is None:
                raise ValidationFailed.on("token", INVALID_TOKEN)
            code.consume(now)
            user.mark_verified(now)
            await uow.commit()


class VerifyEmailByOtp:
    """- The 6-digit OTP is valid 25 minutes; the fifth wrong try spends it for good.
    - Using it verifies the account and spends the link sent with it."""

    def __init__(self, uow: UnitOfWorkFactory, digest: SecretDigest, clock: Clock, policy: CodePolicy) -> None:
        self._uow = uow
        self._digest = digest
        self._clock = clock
        self._policy = policy

    async def __call__(self, email: str, otp: str) -> None:
        now = self._clock.now()
        if not (otp.isdigit() and len(otp) == 6):
            raise ValidationFailed.on("otp", "OTP must be 6 digits.")
        async with self._uow() as uow:
            user = await uow.users.by_email(rules.email_key(email))
            code = await uow.codes.latest_for(user.id, CodePurpose.VERIFY_EMAIL.value) if user and user.id else None
            if user is None or code is None:
                raise ValidationFailed.on("otp", INVALID_OTP)
            if not code.try_otp(self._digest(otp), now, self._policy):
                await uow.commit()  # the wrong attempt counts
                raise ValidationFailed.on("otp", INVALID_OTP)
            code.consume(now)
            user.mark_verified(now)
            await uow.commit()
