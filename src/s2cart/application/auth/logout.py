"""Logout: end the current session, all of them, or those of one device type."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.auth.principal import Principal
from s2cart.application.ports.security import TokenService
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.sessions.session import DeviceType, LogoutType
from s2cart.domain.shared.errors import AuthenticationFailed, ValidationFailed


@dataclass(frozen=True)
class LogoutCommand:
    logout_type: LogoutType = LogoutType.CURRENT
    device_type: DeviceType | None = None
    refresh: str | None = None


class Logout:
    """- ``current`` ends the caller's session; ``all`` every session; ``device_type`` those of one type.
    - A refresh token given with the request is spent too (its session ends), if it is the caller's.
    - Ended sessions' access tokens are refused on the next request (authentication reads the session)."""

    def __init__(self, uow: UnitOfWorkFactory, tokens: TokenService, clock: Clock) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock

    async def __call__(self, principal: Principal, cmd: LogoutCommand) -> str:
        if cmd.logout_type is LogoutType.DEVICE_TYPE and cmd.device_type is None:
            raise ValidationFailed.on("device_type", "device_type is required when logout_type is device_type.")
        refresh_session = self._session_of_refresh(principal, cmd.refresh)
        now = self._clock.now()
        async with self._uow() as uow:
            if refresh_session is not None:
                await uow.sessions.revoke(refresh_session, now, "logout")
            if cmd.logout_type is LogoutType.ALL:
                await uow.sessions.revoke_all(principal.user_id, now, "logout_all")
                message = "Successfully logged out from all sessions"
            elif cmd.logout_type is LogoutType.DEVICE_TYPE:
                assert cmd.device_type is not None
                await uow.sessions.revoke_all(principal.user_id, now, "logout_device", cmd.device_type.value)
                message = f"Successfully logged out from all {cmd.device_type.value} sessions"
            else:
                await uow.sessions.revoke(principal.session_id, now, "logout")
                message = "Successfully logged out from current session"
            await uow.commit()
        return message

    def _session_of_refresh(self, principal: Principal, refresh: str | None) -> str | None:
        if not refresh:
            return None
        try:
            claims = self._tokens.decode(refresh, "refresh")
        except AuthenticationFailed:
            return None  # an expired or foreign token needs no blacklisting: it already cannot refresh
        return claims.session_id if claims.user_id == principal.user_id else None
