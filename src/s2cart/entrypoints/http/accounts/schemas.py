from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from s2cart.application.addresses.views import AddressView
from s2cart.domain.users.rules import NAME_MAX, URL_MAX
from s2cart.domain.users.user import Gender, Language, User

Text150 = Annotated[str, msgspec.Meta(max_length=NAME_MAX)]
Short = Annotated[str, msgspec.Meta(max_length=254)]


class RegisterIn(msgspec.Struct, kw_only=True):
    username: Annotated[str, msgspec.Meta(max_length=150, description="3-150 chars: letters, digits, @.+-_")]
    email: Short
    password: Annotated[str, msgspec.Meta(max_length=128)]
    first_name: Text150 = ""
    last_name: Text150 = ""
    phone_number: Annotated[str, msgspec.Meta(max_length=20)] | None = None


class UserOut(msgspec.Struct, kw_only=True):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    phone_number: str | None
    profile_image: str | None
    date_of_birth: date | None
    gender: str | None
    preferred_language: str
    email_notifications: bool
    sms_notifications: bool
    push_notifications: bool
    is_verified: bool
    date_joined: datetime
    last_login: datetime | None


def user_out(user: User) -> UserOut:
    assert user.id is not None
    return UserOut(
        id=user.id,
        username=user.username,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        phone_number=user.phone_number,
        profile_image=user.profile_image,
        date_of_birth=user.date_of_birth,
        gender=user.gender,
        preferred_language=user.preferred_language,
        email_notifications=user.email_notifications,
        sms_notifications=user.sms_notifications,
        push_notifications=user.push_notifications,
        is_verified=user.is_verified,
        date_joined=user.date_joined,
        last_login=user.last_login,
    )


class RegisteredOut(msgspec.Struct, kw_only=True):
    user: UserOut
    token: str
    expires_at: datetime
    message: str
    verification_method: str
    otp_expires_in: str
    email_sent: bool


class ProfileOut(UserOut, kw_only=True):
    active_sessions_count: int
    total_carts_count: int
    max_carts_allowed: int
    saved_addresses: list[AddressView]


class ProfileUpdateIn(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Only these fields are read; anything else in the body is ignored, never applied."""

    first_name: Text150 | msgspec.UnsetType = msgspec.UNSET
    last_name: Text150 | msgspec.UnsetType = msgspec.UNSET
    phone_number: Annotated[str, msgspec.Meta(max_length=20)] | msgspec.UnsetType | None = msgspec.UNSET
    date_of_birth: date | msgspec.UnsetType | None = msgspec.UNSET
    gender: Gender | msgspec.UnsetType | None = msgspec.UNSET
    preferred_language: Language | msgspec.UnsetType = msgspec.UNSET
    email_notifications: bool | msgspec.UnsetType = msgspec.UNSET
    sms_notifications: bool | msgspec.UnsetType = msgspec.UNSET
    push_notifications: bool | msgspec.UnsetType = msgspec.UNSET
    profile_image: Annotated[str, msgspec.Meta(max_length=URL_MAX)] | msgspec.UnsetType | None = msgspec.UNSET


class VerifyOtpIn(msgspec.Struct, kw_only=True):
    email: Short
    otp: Annotated[str, msgspec.Meta(max_length=16)]


class EmailIn(msgspec.Struct, kw_only=True):
    email: Short


class PasswordResetConfirmIn(msgspec.Struct, kw_only=True):
    password: Annotated[str, msgspec.Meta(max_length=128)]
    token: Annotated[str, msgspec.Meta(max_length=128)] | None = None
    email: Short | None = None
    otp: Annotated[str, msgspec.Meta(max_length=16)] | None = None


class VerifiedOut(msgspec.Struct, kw_only=True):
    """The contract's verification answers: status and message at the top, no ``data``."""

    status: Literal["success"] = "success"
    code: int = 200
    message: str
    verification_method: str


class ResendOut(msgspec.Struct, kw_only=True):
    status: Literal["success"] = "success"
    code: int = 200
    message: str
    verification_method: str
    otp_expires_in: str


class ResetRequestedOut(msgspec.Struct, kw_only=True):
    status: Literal["success"] = "success"
    code: int = 200
    message: str
    reset_method: str
    otp_expires_in: str
