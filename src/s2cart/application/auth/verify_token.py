"""VerifyToken: is this JWT (access or refresh) valid and its session alive?"""

from __future__ import annotations

from s2cart.application.ports.auth import SessionLookup
from s2cart.application.ports.security import TokenClaims, TokenService
from s2cart.application.ports.system import Clock
from s2cart.domain.shared.errors import AuthenticationFailed


class VerifyToken:
    def __init__(self, tokens: TokenService, sessions: SessionLookup, clock: Clock) -> None:
        self._tokens = tokens
        self._sessions = sessions
        self._clock = clock

    async def __call__(self, token: str) -> None:
        claims = self._decode(token)
        record = await self._sessions.by_session_id(claims.session_id)
        now = self._clock.now()
        if record is None or record.user_id != claims.user_id or record.revoked_at is not None:
            raise AuthenticationFailed("Invalid token", code="AUTH_005")
        if not record.is_active or now >= record.expires_at:
            raise AuthenticationFailed("Token expired", code="AUTH_004")

    def _decode(self, token: str) -> TokenClaims:
        try:
            return self._tokens.decode(token, "access")
        except AuthenticationFailed as first:
            if first.code == "AUTH_004":
                raise
            return self._tokens.decode(token, "refresh")
