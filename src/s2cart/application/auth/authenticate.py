"""Authenticate: a credential from the Authorization header becomes a Principal, or a 401."""

from __future__ import annotations

from datetime import datetime

from s2cart.application.auth.principal import Principal
from s2cart.application.ports.auth import SessionLookup, SessionRecord
from s2cart.application.ports.security import SecretDigest, TokenService
from s2cart.application.ports.system import Clock
from s2cart.domain.sessions.session import ACTIVITY_RESOLUTION, AuthScheme
from s2cart.domain.shared.errors import AuthenticationFailed


def looks_like_jwt(credential: str) -> bool:
    return credential.count(".") == 2


class Authenticate:
    """Resolve the caller.

    - A JWT must be an unexpired access token whose session is alive and belongs to its subject.
    - Anything else is tried as a legacy token (``Token <key>``, or ``Bearer <key>``) by its digest.
    - Every request checks its session, so a logout anywhere takes effect on the next request: the row, or a
      worker's cached copy that the AuthEpoch still vouches for (CachedSessionLookup).
    - ``last_activity`` is written at most once a minute.
    """

    def __init__(self, tokens: TokenService, digest: SecretDigest, sessions: SessionLookup, clock: Clock) -> None:
        self._tokens = tokens
        self._digest = digest
        self._sessions = sessions
        self._clock = clock

    async def __call__(self, credential: str) -> Principal:
        now = self._clock.now()
        if looks_like_jwt(credential):
            claims = self._tokens.decode(credential, "access")
            record = await self._sessions.by_session_id(claims.session_id)
            if record is None or record.user_id != claims.user_id or record.scheme != AuthScheme.JWT:
                raise AuthenticationFailed("Invalid token", code="AUTH_005")
        else:
            record = await self._sessions.by_token_digest(self._digest(credential))
            if record is None or record.scheme != AuthScheme.TOKEN:
                raise AuthenticationFailed("Invalid token", code="AUTH_005")
        self._check_alive(record, now)
        if now - record.last_activity >= ACTIVITY_RESOLUTION:
            await self._sessions.touch(record.session_id, now)
        return Principal(
            user_id=record.user_id,
            session_id=record.session_id,
            scheme=record.scheme,
            device_type=record.device_type,
            tier=record.tier,
            is_verified=record.is_verified,
        )

    @staticmethod
    def _check_alive(record: SessionRecord, now: datetime) -> None:
        if record.revoked_at is not None or not record.is_active:
            raise AuthenticationFailed("Session has ended", code="AUTH_005")
        if now >= record.expires_at:
            raise AuthenticationFailed("Token expired", code="AUTH_004")
