from __future__ import annotations

import asyncio
import logging
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from s2cart.application.accounts.confirm_password_reset import ConfirmPasswordReset, ConfirmResetCommand
from s2cart.application.accounts.profile import GetProfile, ProfileChanges, UpdateProfile
from s2cart.application.accounts.register import Register, RegisterCommand
from s2cart.application.accounts.request_password_reset import RequestPasswordReset
from s2cart.application.accounts.resend_verification import ResendVerification
from s2cart.application.accounts.verify_email import VerifyEmailByOtp, VerifyEmailByToken
from s2cart.application.auth.principal import Principal
from s2cart.application.mail.deliver_outbox import DeliverOutbox
from s2cart.domain.shared.errors import NotFound
from s2cart.entrypoints.http.accounts.schemas import (
    EmailIn,
    PasswordResetConfirmIn,
    ProfileOut,
    ProfileUpdateIn,
    RegisteredOut,
    RegisterIn,
    ResendOut,
    ResetRequestedOut,
    UserOut,
    VerifiedOut,
    VerifyOtpIn,
    user_out,
)
from s2cart.entrypoints.http.answers import errors
from s2cart.entrypoints.http.client_address import device_of
from s2cart.entrypoints.http.envelope import Success, success
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.limits import HOUR, limit
from s2cart.entrypoints.http.principal import SECURITY

logger = logging.getLogger(__name__)
BOTH = "Both OTP and Token available"
OTP_EXPIRES_IN = "25 minutes"
# Registration waits this long for the first delivery attempt, to answer email_sent truthfully.
INLINE_DELIVERY_SECONDS = 5.0


async def _deliver_in_background(deliver: DeliverOutbox, message_id: int | None) -> None:
    if message_id is None:
        return
    try:
        await deliver(ids=[message_id])
    except Exception:
        logger.exception("background delivery of outbox message %s failed", message_id)


class AccountController(Controller):
    tags = ["Accounts"]

    @post(
        "/register/",
        status_code=201,
        summary="Register (unverified until the mailed link or OTP is used)",
        opt=limit(5, HOUR, "registration", "ip") | errors(),
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RegisterIn],
        register: Inject[Register],
        deliver_outbox: Inject[DeliverOutbox],
        client_ip: NamedDependency[str | None],
    ) -> Success[RegisteredOut]:
        """Create an unverified account and a session token, and mail a verification link and a 6-digit OTP.

        Every missing or bad field is named at once (400 VAL_001), a username or email already taken too.
        `email_sent` says whether the first delivery attempt succeeded within a few seconds; the mail stays queued
        otherwise. The token reads GET /profile/ and verifies; other routes answer 403 AUTH_002 until verified.
        """
        result = await register(
            RegisterCommand(
                username=data.username,
                email=data.email,
                password=data.password,
                first_name=data.first_name,
                last_name=data.last_name,
                phone_number=data.phone_number,
                device=device_of(request, client_ip),
            )
        )
        try:
            report = await asyncio.wait_for(deliver_outbox(ids=[result.outbox_id]), INLINE_DELIVERY_SECONDS)
            email_sent = report.delivered == 1
        except TimeoutError:
            email_sent = False  # still in the outbox; the background pump retries it
        body = RegisteredOut(
            user=user_out(result.user),
            token=result.token,
            expires_at=result.expires_at,
            message="User registered successfully. Check your email for verification code or link.",
            verification_method=BOTH,
            otp_expires_in=OTP_EXPIRES_IN,
            email_sent=email_sent,
        )
        return success(body, "User registered successfully", code=201)

    @get(
        "/verify/{token:str}/",
        summary="Verify the account with the mailed link",
        opt=limit(10, HOUR, "verification", "ip") | errors(),
    )
    async def verify_by_token(
        self, token: FromPath[str], verify_email_by_token: Inject[VerifyEmailByToken]
    ) -> VerifiedOut:
        """Verify the account with the token from the mailed link. An unknown, used or expired token is 400 VAL_001
        on `token`; verifying an already verified account again succeeds.
        """
        await verify_email_by_token(token)
        return VerifiedOut(message="Account verified successfully.", verification_method="token")

    @post(
        "/verify/otp/",
        status_code=200,
        summary="Verify the account with the mailed 6-digit OTP",
        opt=limit(10, HOUR, "verification", "ip") | errors(),
    )
    async def verify_by_otp(
        self, data: JSONBody[VerifyOtpIn], verify_email_by_otp: Inject[VerifyEmailByOtp]
    ) -> VerifiedOut:
        """Verify the account with its email and the mailed 6-digit OTP (valid 25 minutes). A wrong or expired OTP, or
        an unknown email, is the same 400 VAL_001 on `otp`; the fifth wrong try spends the OTP for good (POST
        /verify/resend/ mails a new one).
        """
        await verify_email_by_otp(data.email, data.otp)
        return VerifiedOut(message="Account verified successfully.", verification_method="otp")

    @post(
        "/verify/resend/",
        status_code=200,
        summary="Send a new verification link and OTP",
        opt=limit(3, HOUR, "verification", "ip") | errors(),
    )
    async def resend(
        self,
        data: JSONBody[EmailIn],
        resend_verification: Inject[ResendVerification],
        deliver_outbox: Inject[DeliverOutbox],
    ) -> Response[ResendOut]:
        """Mail a new verification link and OTP, replacing the previous ones. The answer is the same whether or not the
        email belongs to an unverified account, so it reveals nothing; the mail is sent after the answer.
        """
        message_id = await resend_verification(data.email)
        body = ResendOut(
            message="Verification email resent successfully",
            verification_method=BOTH,
            otp_expires_in=OTP_EXPIRES_IN,
        )
        return Response(body, background=BackgroundTask(_deliver_in_background, deliver_outbox, message_id))

    @post(
        "/password-reset/request/",
        status_code=200,
        summary="Mail a reset link and OTP (same answer for all)",
        opt=limit(3, HOUR, "password_reset", "ip") | errors(),
    )
    async def request_reset(
        self,
        data: JSONBody[EmailIn],
        request_password_reset: Inject[RequestPasswordReset],
        deliver_outbox: Inject[DeliverOutbox],
    ) -> Response[ResetRequestedOut]:
        """Mail a password reset link and OTP. The answer is the same whether or not the email is registered, so it
        reveals nothing; the mail is sent after the answer.
        """
        message_id = await request_password_reset(data.email)
        body = ResetRequestedOut(
            message="If your email exists in our system, password reset instructions will be sent.",
            reset_method=BOTH,
            otp_expires_in=OTP_EXPIRES_IN,
        )
        return Response(body, background=BackgroundTask(_deliver_in_background, deliver_outbox, message_id))

    @post(
        "/password-reset/confirm/",
        status_code=200,
        summary="Set a new password with the token or email + OTP",
        opt=limit(5, HOUR, "password_reset", "ip") | errors(),
    )
    async def confirm_reset(
        self,
        data: JSONBody[PasswordResetConfirmIn],
        confirm_password_reset: Inject[ConfirmPasswordReset],
    ) -> VerifiedOut:
        """Set a new password with the mailed token, or with email and OTP. The password must pass the same rules as
        at registration (400 VAL_001 names each); a bad or expired token or OTP is 400 VAL_001. The code is spent,
        a lockout is lifted, and every session of the account ends: the user signs in again.
        """
        method = await confirm_password_reset(
            ConfirmResetCommand(password=data.password, token=data.token, email=data.email, otp=data.otp)
        )
        return VerifiedOut(message="Password has been reset successfully.", verification_method=method)

    @get("/profile/", summary="The caller's profile", security=SECURITY, opt=errors(NotFound))
    async def profile(
        self, any_principal: NamedDependency[Principal], get_profile: Inject[GetProfile]
    ) -> Success[ProfileOut]:
        """The caller's profile with counts (active sessions, carts and the cart limit) and saved addresses. An
        unverified account's registration token may read it.
        """
        view = await get_profile(any_principal.user_id)
        base = msgspec.structs.asdict(user_out(view.user))
        body = ProfileOut(
            **base,
            active_sessions_count=view.active_sessions_count,
            total_carts_count=view.total_carts_count,
            max_carts_allowed=view.max_carts_allowed,
            saved_addresses=list(view.saved_addresses),
        )
        return success(body, "Profile retrieved successfully")

    @patch("/profile/update/", summary="Change the editable profile fields", security=SECURITY, opt=errors(NotFound))
    async def update_profile(
        self,
        data: JSONBody[ProfileUpdateIn],
        principal: NamedDependency[Principal],
        update_profile: Inject[UpdateProfile],
    ) -> Success[UserOut]:
        """Change some of the editable profile fields (names, phone, date of birth, gender, language, notification
        choices, image URL); fields left out keep their values. Each bad field is named (400 VAL_001).
        """
        sent = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        user = await update_profile(principal.user_id, ProfileChanges(values=sent))
        return success(user_out(user), "Profile updated successfully")
