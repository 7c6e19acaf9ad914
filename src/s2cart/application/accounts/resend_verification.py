"""ResendVerification: a fresh link and OTP; the earlier ones stop working."""

from __future__ import annotations

from s2cart.application.accounts.codes import CodeIssuer
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.users import rules
from s2cart.domain.users.one_time_code import CodePurpose


class ResendVerification:
    """- Answers the same whether or not the email has an unverified account (returns the queued mail
      id only for the caller's background delivery, never for the response).
    - A resend invalidates the previous token and OTP."""

    def __init__(self, uow: UnitOfWorkFactory, codes: CodeIssuer, clock: Clock) -> None:
        self._uow = uow
        self._codes = codes
        self._clock = clock

    async def __call__(self, email: str) -> int | None:
        now = self._clock.now()
        async with self._uow() as uow:
            user = await uow.users.by_email(rules.email_key(email))
            if user is None or user.is_verified or not user.is_active:
                return None
            message = await self._codes.issue(uow, user, CodePurpose.VERIFY_EMAIL, now)
            await uow.commit()
        return message.id
