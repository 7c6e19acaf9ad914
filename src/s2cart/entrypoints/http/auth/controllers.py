from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from s2cart.application.auth.logout import Logout, LogoutCommand
from s2cart.application.auth.principal import Principal
from s2cart.application.auth.refresh_tokens import RefreshTokens
from s2cart.application.auth.sessions import EndSession, ListSessions
from s2cart.application.auth.sign_in import SignedIn, SignIn, SignInCommand
from s2cart.application.auth.verify_token import VerifyToken
from s2cart.domain.sessions.session import AuthScheme
from s2cart.domain.shared.errors import NotFound, TooManyAttempts
from s2cart.domain.users.errors import AccountLocked, AccountNotVerified, InvalidCredentials
from s2cart.entrypoints.http.accounts.schemas import user_out
from s2cart.entrypoints.http.answers import SIGNED_IN, errors
from s2cart.entrypoints.http.auth.schemas import (
    JwtSignedInOut,
    LegacySignedInOut,
    LogoutIn,
    RefreshIn,
    SessionOut,
    SignInIn,
    TerminatedOut,
    TerminatedSession,
    TokenPairOut,
    VerifyTokenIn,
)
from s2cart.entrypoints.http.client_address import device_of
from s2cart.entrypoints.http.envelope import Done, Success, done, success
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.limits import MINUTE, limit
from s2cart.entrypoints.http.principal import SECURITY


async def _sign_in(
    request: Request[Any, Any, Any],
    data: SignInIn,
    sign_in: SignIn,
    client_ip: str | None,
    scheme: AuthScheme,
) -> SignedIn:
    return await sign_in(
        SignInCommand(
            password=data.password,
            username=data.username,
            email=data.email,
            device=device_of(request, client_ip, data.device_type, data.device_id),
            scheme=scheme,
            client_ip=client_ip,
        )
    )


class JwtController(Controller):
    path = "/jwt"
    tags = ["JWT"]

    @post(
        "/",
        status_code=200,
        summary="Sign in: a JWT access and refresh token for this device",
        opt=limit(3, MINUTE, "login", "ip", "account")
        | errors(InvalidCredentials, AccountNotVerified, AccountLocked, TooManyAttempts),
    )
    async def sign_in(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SignInIn],
        sign_in: Inject[SignIn],
        client_ip: NamedDependency[str | None],
    ) -> Success[JwtSignedInOut]:
        """Sign in with username or email and password: an access and a refresh JWT for a new session of this device.

        Wrong credentials are 400 AUTH_001 (the same answer for an unknown account); an unverified account is 403
        AUTH_002 once the password is proven; the fifth failure in a row locks the account for a while (403
        AUTH_003 with the unlock time), and an address and account pair with too many recent failures is refused
        before any password is checked (429 AUTH_006 with `retry_after`).
        `device_type` (ANDROID, IOS, WEB, API) and `device_id` come from the body or the X-Device-* headers.
        """
        result = await _sign_in(request, data, sign_in, client_ip, AuthScheme.JWT)
        started = result.started
        assert started.access is not None and started.refresh is not None
        body = JwtSignedInOut(
            access=started.access.token,
            refresh=started.refresh.token,
            user=user_out(result.user),
            device_type=started.session.device_type,
            device_id=started.session.device_id,
        )
        return success(body, "Login successful")

    @post(
        "/refresh/",
        status_code=200,
        summary="Rotate: a new access and refresh token; the old one is spent",
        opt=limit(50, MINUTE, "refresh", "ip") | errors(*SIGNED_IN),
    )
    async def refresh(self, data: JSONBody[RefreshIn], refresh_tokens: Inject[RefreshTokens]) -> Success[TokenPairOut]:
        """Exchange a refresh token for a new access and refresh token. The old refresh token is spent: using it again
        ends the session (401 AUTH_005), as a stolen token would be. An expired token is 401 AUTH_004.
        """
        pair = await refresh_tokens(data.refresh)
        return success(TokenPairOut(access=pair.access.token, refresh=pair.refresh.token), "Token refreshed")

    @post(
        "/verify/",
        status_code=200,
        summary="Is this token valid and its session alive?",
        opt=limit(100, MINUTE, "verify", "ip") | errors(*SIGNED_IN),
    )
    async def verify(self, data: JSONBody[VerifyTokenIn], verify_token: Inject[VerifyToken]) -> Done:
        """Check an access or refresh token: 200 when it is valid and its session alive, else 401 AUTH_004 (expired)
        or AUTH_005 (invalid or ended).
        """
        await verify_token(data.token)
        return done("Token is valid")

    @post(
        "/logout/",
        status_code=200,
        summary="End this, every, or one device type's sessions",
        security=SECURITY,
        opt=errors(),
    )
    async def logout(
        self,
        data: JSONBody[LogoutIn],
        any_principal: NamedDependency[Principal],
        logout: Inject[Logout],
    ) -> Done:
        """End the current session, all of the caller's sessions (`logout_type: all`), or those of one device type
        (`device_type`, required then). An unverified account may sign out too.
        """
        message = await logout(
            any_principal,
            LogoutCommand(logout_type=data.logout_type, device_type=data.device_type, refresh=data.refresh),
        )
        return done(message)

    @get("/sessions/", summary="The caller's live sessions", security=SECURITY, opt=errors())
    async def sessions(
        self, principal: NamedDependency[Principal], list_sessions: Inject[ListSessions]
    ) -> Success[list[SessionOut]]:
        """The caller's live sessions, newest activity first, the current one marked. Never shows tokens."""
        found = await list_sessions(principal.user_id)
        items = [
            SessionOut(
                id=s.id,
                device_type=s.device_type,
                device_id=s.device_id,
                user_agent=s.user_agent,
                ip_address=s.ip_address,
                created_at=s.created_at,
                last_activity=s.last_activity,
                expires_at=s.expires_at,
                is_current_session=s.id == principal.session_id,
            )
            for s in found
        ]
        return success(items, f"Found {len(items)} active sessions")

    @delete(
        "/sessions/{session_id:str}/",
        status_code=200,
        summary="End one session",
        security=SECURITY,
        opt=errors(NotFound),
    )
    async def end_session(
        self,
        session_id: FromPath[str],
        principal: NamedDependency[Principal],
        end_session: Inject[EndSession],
    ) -> Success[TerminatedOut]:
        """End one of the caller's sessions by its id (another user's session is a 404, as an unknown one is)."""
        ended = await end_session(principal.user_id, session_id)
        body = TerminatedOut(
            terminated_session=TerminatedSession(
                device_type=ended.device_type, device_id=ended.device_id, session_id=ended.id
            )
        )
        return success(body, f"Successfully terminated {ended.device_type} session")


class LegacyAuthController(Controller):
    tags = ["Legacy token"]

    @post(
        "/login/",
        status_code=200,
        summary="Sign in: a legacy token (Authorization: Token <key>)",
        opt=limit(3, MINUTE, "login", "ip", "account")
        | errors(InvalidCredentials, AccountNotVerified, AccountLocked, TooManyAttempts),
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SignInIn],
        sign_in: Inject[SignIn],
        client_ip: NamedDependency[str | None],
    ) -> Success[LegacySignedInOut]:
        """Sign in for a legacy token (`Authorization: Token <key>`), for clients built before JWT. The same rules and
        refusals as POST /jwt/: 400 AUTH_001, 403 AUTH_002 or AUTH_003, 429 AUTH_006.
        """
        result = await _sign_in(request, data, sign_in, client_ip, AuthScheme.TOKEN)
        started = result.started
        assert started.legacy_token is not None
        body = LegacySignedInOut(
            token=started.legacy_token,
            user=user_out(result.user),
            device_type=started.session.device_type,
            expires_at=started.session.expires_at,
        )
        return success(body, "Login successful")

    @post(
        "/logout/",
        status_code=200,
        summary="End this, every, or one device type's sessions",
        security=SECURITY,
        opt=errors(),
    )
    async def logout(
        self,
        data: JSONBody[LogoutIn],
        any_principal: NamedDependency[Principal],
        logout: Inject[Logout],
    ) -> Done:
        """End the current session, all of the caller's sessions, or those of one device type (as POST
        /jwt/logout/ does)."""
        await logout(any_principal, LogoutCommand(logout_type=data.logout_type, device_type=data.device_type))
        return done("Logout successful")
