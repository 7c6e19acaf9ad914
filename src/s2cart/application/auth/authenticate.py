"""Authenticate: a credential from the Authorization header becomes a Principal, or a 401."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from s2cart.application.auth.principal import Principal
from s2cart.application.auth.session_cache import CachedSessionLookup
from s2cart.application.ports.auth import EPOCH_UNREAD, EpochRead, SessionLookup, SessionRecord
from s2cart.application.ports.security import SecretDigest, TokenService
from s2cart.application.ports.system import Clock
from s2cart.domain.sessions.session import ACTIVITY_RESOLUTION, AuthScheme
from s2cart.domain.shared.errors import AuthenticationFailed


def looks_like_jwt(credential: str) -> bool:
    return credential.count(".") == 2


@dataclass(frozen=True)
class Attempt:
    """A credential taken apart (a JWT decoded, a legacy key digested), before its session is checked.

    ``cached``: what this worker's session cache kept for it, and the epoch it was read in, when that would let
    the caller in; the rate limiter counts the request as that caller while it reads the epoch, and ``complete``
    then checks the session in the epoch the limiter read (decision 0040)."""

    kind: str  # "session" (a JWT's session id) or "token" (a legacy key's digest)
    key: str
    user_id: int | None  # a JWT's subject
    cached: tuple[SessionRecord, str] | None

    @property
    def cached_caller(self) -> tuple[int, str, str] | None:
        """(user id, tier, epoch) of the cached session, or None."""
        if self.cached is None:
            return None
        record, epoch = self.cached
        return record.user_id, record.tier, epoch


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
        return await self.complete(self.prepare(credential))

    def prepare(self, credential: str) -> Attempt:
        """Decode or digest the credential (a malformed, expired or forged JWT fails here) and peek at the
        session cache; no I/O."""
        if looks_like_jwt(credential):
            claims = self._tokens.decode(credential, "access")
            attempt = Attempt("session", claims.session_id, claims.user_id, None)
        else:
            attempt = Attempt("token", self._digest(credential), None, None)
        if isinstance(self._sessions, CachedSessionLookup):
            cached = self._sessions.peek(attempt.kind, attempt.key)
            if cached is not None and self._admits(attempt, cached[0]):
                return Attempt(attempt.kind, attempt.key, attempt.user_id, cached)
        return attempt

    async def complete(self, attempt: Attempt, epoch: EpochRead | None = EPOCH_UNREAD) -> Principal:
        """Check the session; ``epoch``: the AuthEpoch already read for this request, if it was."""
        now = self._clock.now()
        sessions = self._sessions
        if attempt.kind == "session":
            if isinstance(sessions, CachedSessionLookup):
                record = await sessions.by_session_id(attempt.key, epoch)
            else:
                record = await sessions.by_session_id(attempt.key)
        elif isinstance(sessions, CachedSessionLookup):
            record = await sessions.by_token_digest(attempt.key, epoch)
        else:
            record = await sessions.by_token_digest(attempt.key)
        if record is None or not self._matches(attempt, record):
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
    def _matches(attempt: Attempt, record: SessionRecord) -> bool:
        if attempt.kind == "session":
            return record.user_id == attempt.user_id and record.scheme == AuthScheme.JWT
        return record.scheme == AuthScheme.TOKEN

    def _admits(self, attempt: Attempt, record: SessionRecord) -> bool:
        if not self._matches(attempt, record):
            return False
        try:
            self._check_alive(record, self._clock.now())
        except AuthenticationFailed:
            return False
        return True

    @staticmethod
    def _check_alive(record: SessionRecord, now: datetime) -> None:
        if record.revoked_at is not None or not record.is_active:
            raise AuthenticationFailed("Session has ended", code="AUTH_005")
        if now >= record.expires_at:
            raise AuthenticationFailed("Token expired", code="AUTH_004")
