"""RequestPasswordReset: mail a reset link and OTP to an existing account; say the same to everyone."""

from __future__ import annotations

from s2cart.application.accounts.codes import CodeIssuer
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.users import rules
from s2cart.domain.users.one_time_code import CodePurpose


class RequestPasswordReset:
    """- The answer does not depend on whether the email exists; the mail is delivered in the background
      so the response time does not tell either.
    - A new request invalidates earlier reset codes."""

    def __init__(self, uow: UnitOfWorkFactory, codes: CodeIssuer, clock: Clock) -> None:
        self._uow = uow
        self._codes = codes
        self._clock = clock

    async def __call__(self, email: str) -> int | None:
        now = self._clock.now()
        async with self._uow() as uow:
            user = await uow.users.by_email(rules.email_key(email))
            if user is None or not user.is_active:
                return None
            message = await self._codes.issue(uow, user, CodePurpose.RESET_PASSWORD, now)
            await uow.commit()
        return message.id
