from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from s2cart.domain.sessions.session import DeviceType, LogoutType
from s2cart.entrypoints.http.accounts.schemas import UserOut

Login = Annotated[str, msgspec.Meta(max_length=254)]
Token = Annotated[str, msgspec.Meta(max_length=4096)]


class SignInIn(msgspec.Struct, kw_only=True):
    password: Annotated[str, msgspec.Meta(max_length=128)]
    username: Login | None = None
    email: Login | None = None
    device_type: DeviceType | None = None
    device_id: Annotated[str, msgspec.Meta(max_length=255)] | None = None


class JwtSignedInOut(msgspec.Struct, kw_only=True):
    access: str
    refresh: str
    user: UserOut
    device_type: str
    device_id: str | None


class LegacySignedInOut(msgspec.Struct, kw_only=True):
    token: str
    user: UserOut
    device_type: str
    expires_at: datetime


class RefreshIn(msgspec.Struct, kw_only=True):
    refresh: Token


class TokenPairOut(msgspec.Struct, kw_only=True):
    access: str
    refresh: str


class VerifyTokenIn(msgspec.Struct, kw_only=True):
    token: Token


class LogoutIn(msgspec.Struct, kw_only=True):
    logout_type: LogoutType = LogoutType.CURRENT
    device_type: DeviceType | None = None
    refresh: Token | None = None


class SessionOut(msgspec.Struct, kw_only=True):
    id: str
    device_type: str
    device_id: str | None
    user_agent: str
    ip_address: str | None
    created_at: datetime
    last_activity: datetime
    expires_at: datetime
    is_current_session: bool


class TerminatedSession(msgspec.Struct, kw_only=True):
    device_type: str
    device_id: str | None
    session_id: str


class TerminatedOut(msgspec.Struct, kw_only=True):
    terminated_session: TerminatedSession
