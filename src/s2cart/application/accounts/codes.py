"""Issue a one-time code and queue its mail inside the caller's unit of work."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from s2cart.application.accounts.mails import AccountMails
from s2cart.application.ports.outbox import OutboxMessage
from s2cart.application.ports.security import SecretBox, SecretDigest
from s2cart.application.ports.uow import UnitOfWork
from s2cart.domain.users.one_time_code import CodePolicy, CodePurpose, OneTimeCode, new_link_token, new_otp
from s2cart.domain.users.user import User

MAIL_TOPIC = "mail"


class CodeIssuer:
    """A new code replaces every earlier one of the same purpose; the mail holds the only plain copy,
    sealed in the outbox until it is delivered."""

    def __init__(self, digest: SecretDigest, box: SecretBox, mails: AccountMails, policy: CodePolicy) -> None:
        self._digest = digest
        self._box = box
        self._mails = mails
        self.policy = policy

    async def issue(self, uow: UnitOfWork, user: User, purpose: CodePurpose, now: datetime) -> OutboxMessage:
        assert user.id is not None
        await uow.codes.invalidate(user.id, purpose.value, now)
        token, otp = new_link_token(), new_otp()
        code = OneTimeCode.issue(user.id, purpose, self._digest(token), self._digest(otp), now, self.policy)
        await uow.codes.add(code)
        name = user.first_name or user.username
        if purpose is CodePurpose.VERIFY_EMAIL:
            mail = self._mails.verification(user.email, name, token, otp)
        else:
            mail = self._mails.password_reset(user.email, name, token, otp)
        message = OutboxMessage(
            topic=MAIL_TOPIC,
            payload={"sealed": self._box.seal(asdict(mail)), "kind": purpose.value},
            created_at=now,
        )
        await uow.outbox.add(message)
        return message
