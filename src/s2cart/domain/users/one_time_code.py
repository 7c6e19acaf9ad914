"""One-time codes sent by mail: a 64-character link token and a 6-digit OTP, stored only as digests."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class CodePurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"


@dataclass(frozen=True)
class CodePolicy:
    token_ttl: timedelta = timedelta(hours=24)
    otp_ttl: timedelta = timedelta(minutes=25)
    max_otp_attempts: int = 5

    @property
    def otp_expires_in(self) -> str:
        return f"{int(self.otp_ttl.total_seconds() // 60)} minutes"


def new_link_token() -> str:
    return secrets.token_urlsafe(48)  # 48 random bytes -> 64 URL-safe characters


def new_otp() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


@dataclass(eq=False)
class OneTimeCode:
    user_id: int
    purpose: str
    token_digest: str
    otp_digest: str
    created_at: datetime
    token_expires_at: datetime
    otp_expires_at: datetime
    otp_attempts: int = 0
    consumed_at: datetime | None = None
    id: int | None = field(default=None)

    @classmethod
    def issue(
        cls,
        user_id: int,
        purpose: CodePurpose,
        token_digest: str,
        otp_digest: str,
        now: datetime,
        policy: CodePolicy,
    ) -> OneTimeCode:
        return cls(
            user_id=user_id,
            purpose=purpose.value,
            token_digest=token_digest,
            otp_digest=otp_digest,
            created_at=now,
            token_expires_at=now + policy.token_ttl,
            otp_expires_at=now + policy.otp_ttl,
        )

    def token_usable(self, now: datetime) -> bool:
        return self.consumed_at is None and now < self.token_expires_at

    def otp_usable(self, now: datetime, policy: CodePolicy) -> bool:
        return self.consumed_at is None and now < self.otp_expires_at and self.otp_attempts < policy.max_otp_attempts

    def try_otp(self, otp_digest: str, now: datetime, policy: CodePolicy) -> bool:
        """True when the OTP matches; a wrong one counts, and the fifth wrong one spends the OTP for good."""
        if not self.otp_usable(now, policy):
            return False
        if hmac.compare_digest(self.otp_digest, otp_digest):
            return True
        self.otp_attempts += 1
        return False

    def consume(self, now: datetime) -> None:
        self.consumed_at = now
