"""Start a device session for either scheme; shared by sign-in and registration."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from s2cart.application.ports.security import IssuedToken, SecretDigest, TokenService
from s2cart.application.ports.uow import UnitOfWork
from s2cart.domain.sessions.session import AuthScheme, Device, Session, SessionPolicy


def new_session_id() -> str:
    return secrets.token_urlsafe(24)


def new_legacy_token() -> str:
    return secrets.token_hex(20)


@dataclass(frozen=True)
class StartedSession:
    session: Session
    access: IssuedToken | None = None
    refresh: IssuedToken | None = None
    legacy_token: str | None = None


class SessionStarter:
    def __init__(self, tokens: TokenService, digest: SecretDigest, policy: SessionPolicy) -> None:
        self._tokens = tokens
        self._digest = digest
        self.policy = policy

    async def start(
        self, uow: UnitOfWork, user_id: int, scheme: AuthScheme, device: Device, now: datetime
    ) -> StartedSession:
        session_id = new_session_id()
        if scheme is AuthScheme.JWT:
            access = self._tokens.issue(user_id, session_id, "access", now)
            refresh = self._tokens.issue(user_id, session_id, "refresh", now)
            session = Session.start(
                session_id,
                user_id,
                scheme,
                device,
                now,
                expires_at=refresh.expires_at,
                refresh_jti=refresh.jti,
            )
            await uow.sessions.add(session)
            return StartedSession(session=session, access=access, refresh=refresh)
        token = new_legacy_token()
        session = Session.start(
            session_id,
            user_id,
            scheme,
            device,
            now,
            expires_at=now + self.policy.legacy_ttl,
            token_digest=self._digest(token),
        )
        await uow.sessions.add(session)
        return StartedSession(session=session, legacy_token=token)
