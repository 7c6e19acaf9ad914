"""RefreshTokens: rotate the refresh token; a spent one presented again ends the session."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.ports.accounts import RefreshRotation
from s2cart.application.ports.security import IssuedToken, TokenService
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.sessions.session import AuthScheme, RefreshVerdict, SessionPolicy
from s2cart.domain.shared.errors import AuthenticationFailed


@dataclass(frozen=True)
class TokenPair:
    access: IssuedToken
    refresh: IssuedToken


class RefreshTokens:
    """- Returns a new access AND refresh token; the presented refresh token is spent.
    - The swap is one conditional UPDATE: of parallel refreshes with one token, exactly one wins. A refresh that
      succeeds is that one statement, committed by itself outside any unit of work (decision 0046); the session
      is read, in a unit of work, only when the swap matched nothing, to say why.
    - A spent token presented within the grace window (a client's own race or retry) is refused without
      further harm; presented later, it can only be a stolen copy, and the whole session is revoked."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        tokens: TokenService,
        clock: Clock,
        policy: SessionPolicy,
        rotation: RefreshRotation,
    ) -> None:
        self._uow = uow
        self._rotation = rotation
        self._tokens = tokens
        self._clock = clock
        self._policy = policy

    async def __call__(self, refresh_token: str) -> TokenPair:
        claims = self._tokens.decode(refresh_token, "refresh")
        now = self._clock.now()
        access = self._tokens.issue(claims.user_id, claims.session_id, "access", now)
        refresh = self._tokens.issue(claims.user_id, claims.session_id, "refresh", now)
        # The common case in one statement: the swap matches only a live JWT session of this user whose current
        # refresh jti is the one presented, which is exactly the ROTATE verdict.
        if await self._rotation(claims.session_id, claims.user_id, claims.jti, refresh.jti, now, refresh.expires_at):
            return TokenPair(access=access, refresh=refresh)
        async with self._uow() as uow:
            # Nothing swapped: read the session to tell a dead one, a client's own race and a stolen copy apart.
            session = await uow.sessions.get(claims.session_id)
            if session is None or session.user_id != claims.user_id or session.scheme != AuthScheme.JWT:
                raise AuthenticationFailed("Invalid token", code="AUTH_005")
            verdict = session.refresh_verdict(claims.jti, now, self._policy)
            if verdict is RefreshVerdict.DEAD:
                raise AuthenticationFailed("Session has ended", code="AUTH_005")
            if verdict is RefreshVerdict.THEFT:
                await uow.sessions.revoke(session.id, now, "refresh_token_reuse")
                await uow.commit()
                raise AuthenticationFailed("Refresh token reuse detected; session revoked", code="AUTH_005")
            # RACE: a parallel refresh with this token won the swap. (ROTATE cannot follow a failed swap: nothing
            # but a rotation changes the jti; should it, refusing is the safe answer.)
            raise AuthenticationFailed("Refresh token already used", code="AUTH_005")
