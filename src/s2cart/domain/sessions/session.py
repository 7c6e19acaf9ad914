"""A signed-in device: one row per sign-in, whichever scheme (JWT or legacy token) it uses."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, StrEnum

from s2cart.domain.shared.errors import ValidationFailed

ACTIVITY_RESOLUTION = timedelta(minutes=1)


class DeviceType(StrEnum):
    ANDROID = "ANDROID"
    WEB = "WEB"
    IOS = "IOS"
    API = "API"


class AuthScheme(StrEnum):
    JWT = "jwt"
    TOKEN = "token"


class LogoutType(StrEnum):
    CURRENT = "current"
    ALL = "all"
    DEVICE_TYPE = "device_type"


@dataclass(frozen=True)
class Device:
    device_type: DeviceType
    device_id: str | None
    user_agent: str
    ip_address: str | None
    app_version: str | None

    def __post_init__(self) -> None:
        if self.device_type in (DeviceType.ANDROID, DeviceType.IOS) and not self.device_id:
            raise ValidationFailed.on("device_id", f"device_id is required for {self.device_type.value} devices.")


@dataclass(frozen=True)
class SessionPolicy:
    access_ttl: timedelta = timedelta(days=7)
    refresh_ttl: timedelta = timedelta(days=30)
    legacy_ttl: timedelta = timedelta(days=30)
    # A refresh token presented again this soon after it was rotated is a client race or retry, refused
    # without revoking; later, it can only be a copy in someone else's hands.
    reuse_grace: timedelta = timedelta(seconds=10)


class RefreshVerdict(Enum):
    ROTATE = "rotate"
    RACE = "race"
    THEFT = "theft"
    DEAD = "dead"


@dataclass(eq=False)
class Session:
    id: str
    user_id: int
    scheme: str
    device_type: str
    device_id: str | None
    user_agent: str
    ip_address: str | None
    app_version: str | None
    created_at: datetime
    last_activity: datetime
    expires_at: datetime
    token_digest: str | None = None
    refresh_jti: str | None = None
    previous_refresh_jti: str | None = None
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked_reason: str | None = None

    @classmethod
    def start(
        cls,
        session_id: str,
        user_id: int,
        scheme: AuthScheme,
        device: Device,
        now: datetime,
        expires_at: datetime,
        token_digest: str | None = None,
        refresh_jti: str | None = None,
    ) -> Session:
        return cls(
            id=session_id,
            user_id=user_id,
            scheme=scheme.value,
            device_type=device.device_type.value,
            device_id=device.device_id,
            user_agent=device.user_agent[:500],
            ip_address=device.ip_address,
            app_version=(device.app_version or None) and device.app_version[:50],
            created_at=now,
            last_activity=now,
            expires_at=expires_at,
            token_digest=token_digest,
            refresh_jti=refresh_jti,
        )

    def is_alive(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def revoke(self, now: datetime, reason: str) -> None:
        if self.revoked_at is None:
            self.revoked_at = now
            self.revoked_reason = reason

    def refresh_verdict(self, presented_jti: str, now: datetime, policy: SessionPolicy) -> RefreshVerdict:
        if not self.is_alive(now):
            return RefreshVerdict.DEAD
        if self.refresh_jti is not None and hmac.compare_digest(self.refresh_jti, presented_jti):
            return RefreshVerdict.ROTATE
        if (
            self.previous_refresh_jti is not None
            and hmac.compare_digest(self.previous_refresh_jti, presented_jti)
            and self.rotated_at is not None
            and now - self.rotated_at <= policy.reuse_grace
        ):
            return RefreshVerdict.RACE
        return RefreshVerdict.THEFT

    def activity_is_stale(self, now: datetime) -> bool:
        return now - self.last_activity >= ACTIVITY_RESOLUTION
