"""The account: who a customer is, how they sign in, and the rules that guard it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum


class Gender(StrEnum):
    MALE = "MALE"
    FEMALE = "FEMALE"
    OTHER = "OTHER"
    PREFER_NOT_TO_SAY = "PREFER_NOT_TO_SAY"


class Language(StrEnum):
    EN = "EN"
    HI = "HI"
    TA = "TA"
    TE = "TE"
    BN = "BN"
    MR = "MR"
    GU = "GU"
    KN = "KN"
    ML = "ML"
    PA = "PA"


class Tier(StrEnum):
    STANDARD = "standard"
    PREMIUM = "premium"


@dataclass(frozen=True)
class LockoutPolicy:
    """Five failed sign-ins lock the account for an hour; the count starts again after a lock."""

    max_failures: int = 5
    lock_duration: timedelta = timedelta(minutes=60)

    def locked_until_after(self, failures: int, now: datetime) -> datetime | None:
        return now + self.lock_duration if failures >= self.max_failures else None


# Profile fields a customer may change; everything else is the system's to set.
EDITABLE_PROFILE_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "phone_number",
        "date_of_birth",
        "gender",
        "preferred_language",
        "email_notifications",
        "sms_notifications",
        "push_notifications",
        "profile_image",
    }
)


@dataclass(eq=False)
class User:
    username: str
    username_key: str
    email: str
    email_key: str
    password_hash: str
    date_joined: datetime
    updated_at: datetime
    first_name: str = ""
    last_name: str = ""
    phone_number: str | None = None
    profile_image: str | None = None
    date_of_birth: date | None = None
    gender: str | None = None
    preferred_language: str = Language.EN.value
    email_notifications: bool = True
    sms_notifications: bool = True
    push_notifications: bool = True
    is_verified: bool = False
    is_active: bool = True
    tier: str = Tier.STANDARD.value
    failed_login_attempts: int = 0
    locked_until: datetime | None = None
    last_login: datetime | None = None
    id: int | None = field(default=None)

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def mark_verified(self, now: datetime) -> None:
        self.is_verified = True
        self.updated_at = now

    def signed_in(self, now: datetime) -> None:
        self.failed_login_attempts = 0
        self.locked_until = None
        self.last_login = now

    def change_password(self, password_hash: str, now: datetime) -> None:
        """A new password also lifts a lockout: the owner proved control of the mailbox."""
        self.password_hash = password_hash
        self.failed_login_attempts = 0
        self.locked_until = None
        self.updated_at = now

    def unlock(self, now: datetime) -> None:
        self.failed_login_attempts = 0
        self.locked_until = None
        self.updated_at = now

    def set_tier(self, tier: Tier, now: datetime) -> None:
        self.tier = tier.value
        self.updated_at = now

    def update_profile(self, changes: dict[str, object], now: datetime) -> None:
        """Apply already-validated changes; fields outside the editable set are never applied."""
        for name, value in changes.items():
            if name in EDITABLE_PROFILE_FIELDS:
                setattr(self, name, value)
        self.updated_at = now
