"""Hand-written fakes for the account and session ports: in-memory users, sessions, one-time codes and
sign-in throttle state; a readable hasher, token service, digest and box. No I/O, no crypto cost."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Self

from s2cart.application.ports.auth import SessionRecord
from s2cart.application.ports.security import IssuedToken, TokenClaims, TokenKind
from s2cart.domain.sessions.session import AuthScheme, Session
from s2cart.domain.shared.errors import AuthenticationFailed, ValidationFailed
from s2cart.domain.users import rules
from s2cart.domain.users.one_time_code import OneTimeCode
from s2cart.domain.users.sign_in_throttle import ThrottleRule, ThrottleState
from s2cart.domain.users.user import LockoutPolicy, User
from tests.fakes import FakeClock, FakeUnitOfWork


class FakeUsers:
    def __init__(self) -> None:
        self.users: dict[int, User] = {}
        self.last_id = 0

    async def add(self, user: User) -> None:
        # Like the unique constraints: the database reports the first one violated, with the same message.
        for field, key in (("username", "username_key"), ("email", "email_key")):
            if any(getattr(u, key) == getattr(user, key) for u in self.users.values()):
                message = f"A user with that {field} already exists."
                raise ValidationFailed("Validation failed", errors={field: [message]})
        self.last_id += 1
        user.id = self.last_id
        self.users[user.id] = user

    async def get(self, user_id: int) -> User | None:
        return self.users.get(user_id)  # the live object: the unit of work's snapshot restores it on rollback

    async def by_email(self, email_key: str) -> User | None:
        return next((u for u in self.users.values() if u.email_key == email_key), None)

    async def by_username(self, username_key: str) -> User | None:
        return next((u for u in self.users.values() if u.username_key == username_key), None)

    async def record_failed_login(self, user_id: int, now: datetime, policy: LockoutPolicy) -> datetime | None:
        user = self.users[user_id]
        user.failed_login_attempts += 1
        locked_until = policy.locked_until_after(user.failed_login_attempts, now)
        if locked_until is not None:
            user.locked_until, user.failed_login_attempts = locked_until, 0
        return locked_until


class FakeSessions:
    """Like the mapped repository: ``get`` hands out the live object (the identity map), so a change to it is
    stored by the commit; the unit of work's snapshot restores it when there is none."""

    def __init__(self) -> None:
        self.sessions: dict[str, Session] = {}

    async def add(self, session: Session) -> None:
        self.sessions[session.id] = session

    async def get(self, session_id: str) -> Session | None:
        return self.sessions.get(session_id)

    async def rotate_refresh(
        self, session_id: str, user_id: int, old_jti: str, new_jti: str, now: datetime, expires_at: datetime
    ) -> bool:
        session = self.sessions.get(session_id)
        if (
            session is None
            or session.user_id != user_id
            or session.scheme != AuthScheme.JWT.value
            or not session.is_alive(now)
            or session.refresh_jti != old_jti
        ):
            return False
        session.previous_refresh_jti, session.refresh_jti = session.refresh_jti, new_jti
        session.rotated_at, session.expires_at = now, expires_at
        return True

    async def revoke(self, session_id: str, now: datetime, reason: str) -> bool:
        session = self.sessions.get(session_id)
        if session is None or session.revoked_at is not None:
            return False
        session.revoke(now, reason)
        return True

    async def revoke_all(self, user_id: int, now: datetime, reason: str, device_type: str | None = None) -> int:
        doomed = [
            s
            for s in self.sessions.values()
            if s.user_id == user_id and s.revoked_at is None and device_type in (None, s.device_type)
        ]
        for session in doomed:
            session.revoke(now, reason)
        return len(doomed)

    async def alive_for(self, user_id: int, now: datetime) -> Sequence[Session]:
        return [copy.deepcopy(s) for s in self.sessions.values() if s.user_id == user_id and s.is_alive(now)]

    async def delete_dead(self, now: datetime) -> int:
        dead = [key for key, s in self.sessions.items() if not s.is_alive(now)]
        for key in dead:
            del self.sessions[key]
        return len(dead)

    def alive(self, now: datetime) -> set[str]:
        return {key for key, s in self.sessions.items() if s.is_alive(now)}


class FakeRefreshRotation:
    """The refresh swap outside any unit of work, as the SQL adapter runs it: its own transaction, committed
    only when it swapped."""

    def __init__(self, uow: AuthUnitOfWork) -> None:
        self._uow = uow
        self.calls = 0

    async def __call__(
        self, session_id: str, user_id: int, old_jti: str, new_jti: str, now: datetime, expires_at: datetime
    ) -> bool:
        self.calls += 1
        async with self._uow() as uow:
            swapped = await uow.sessions.rotate_refresh(session_id, user_id, old_jti, new_jti, now, expires_at)
            if swapped:
                await uow.commit()
            return swapped


class FakeSessionLookup:
    """The authentication read over the fake sessions and users, as the SQL lookup joins them."""

    def __init__(self, uow: AuthUnitOfWork) -> None:
        self._uow = uow

    def _record(self, session: Session | None) -> SessionRecord | None:
        user = self._uow.users.users.get(session.user_id) if session is not None else None
        if session is None or user is None:
            return None
        return SessionRecord(
            session.id,
            session.user_id,
            session.scheme,
            session.device_type,
            session.last_activity,
            session.expires_at,
            session.revoked_at,
            user.tier,
            user.is_verified,
            user.is_active,
        )

    async def by_session_id(self, session_id: str) -> SessionRecord | None:
        return self._record(self._uow.sessions.sessions.get(session_id))

    async def by_token_digest(self, token_digest: str) -> SessionRecord | None:
        found = (s for s in self._uow.sessions.sessions.values() if s.token_digest == token_digest)
        return self._record(next(found, None))

    async def touch(self, session_id: str, now: datetime) -> None:
        self._uow.sessions.sessions[session_id].last_activity = now


class FakeLoginThrottle:
    def __init__(self) -> None:
        self.states: dict[str, ThrottleState] = {}

    async def state(self, key: str) -> ThrottleState | None:
        return self.states.get(key)

    async def record_failure(self, key: str, rule: ThrottleRule, now: datetime) -> ThrottleState:
        self.states[key] = self.states.get(key, ThrottleState.first(now)).after_failure(rule, now)
        return self.states[key]

    async def forget(self, key: str) -> None:
        self.states.pop(key, None)


class FakeCodes:
    def __init__(self) -> None:
        self.codes: list[OneTimeCode] = []

    async def add(self, code: OneTimeCode) -> None:
        code.id = len(self.codes) + 1
        self.codes.append(code)

    async def by_token_digest(self, purpose: str, token_digest: str) -> OneTimeCode | None:
        return next((c for c in self.codes if (c.purpose, c.token_digest) == (purpose, token_digest)), None)

    async def latest_for(self, user_id: int, purpose: str) -> OneTimeCode | None:
        live = [c for c in self.codes if (c.user_id, c.purpose) == (user_id, purpose) and c.consumed_at is None]
        return max(live, key=lambda c: c.id or 0, default=None)

    async def invalidate(self, user_id: int, purpose: str, now: datetime) -> None:
        for code in self.codes:
            if (code.user_id, code.purpose) == (user_id, purpose) and code.consumed_at is None:
                code.consumed_at = now


class FakeHasher:
    """``v2$<password>``; a ``v1$`` hash verifies but needs rehashing."""

    def __init__(self) -> None:
        self.dummy_checks = 0

    async def hash(self, password: str) -> str:
        return f"v2${password}"

    async def verify(self, password_hash: str, password: str) -> bool:
        return password_hash.split("$", 1)[1] == password

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith("v2$")

    async def verify_dummy(self, password: str) -> None:
        self.dummy_checks += 1


class FakeTokens:
    """Tokens are readable JSON claims; ``decode`` checks the kind and the expiry on the clock, and refuses
    what it did not issue."""

    def __init__(self, clock: FakeClock, access_ttl: timedelta, refresh_ttl: timedelta) -> None:
        self._clock = clock
        self._ttl = {"access": access_ttl, "refresh": refresh_ttl}
        self.issued = 0

    def issue(self, user_id: int, session_id: str, kind: TokenKind, now: datetime) -> IssuedToken:
        self.issued += 1
        jti = f"jti-{self.issued}"
        expires_at = now + self._ttl[kind]
        claims = {"u": user_id, "s": session_id, "j": jti, "k": kind, "i": now.isoformat(), "e": expires_at.isoformat()}
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode()
        return IssuedToken(token=f"fake.{body}.unsigned", jti=jti, expires_at=expires_at)  # three parts, as a JWT

    def decode(self, token: str, kind: TokenKind) -> TokenClaims:
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != "fake":
            raise AuthenticationFailed("Invalid token", code="AUTH_005")
        c = json.loads(base64.urlsafe_b64decode(parts[1]))
        if c["k"] != kind:
            raise AuthenticationFailed("Invalid token", code="AUTH_005")
        expires_at = datetime.fromisoformat(c["e"])
        if self._clock.now() >= expires_at:
            raise AuthenticationFailed("Token expired", code="AUTH_004")
        return TokenClaims(c["u"], c["s"], c["j"], kind, datetime.fromisoformat(c["i"]), expires_at)


def fake_digest(secret: str) -> str:
    return hashlib.sha256(b"test-key:" + secret.encode()).hexdigest()


class FakeBox:
    def seal(self, payload: dict[str, Any]) -> str:
        return "sealed:" + json.dumps(payload)

    def open(self, sealed: str) -> dict[str, Any]:
        assert sealed.startswith("sealed:")
        loaded: dict[str, Any] = json.loads(sealed[7:])
        return loaded


class AuthUnitOfWork(FakeUnitOfWork):
    """The unit of work with users, sessions, one-time codes and throttle state; what was not committed is
    dropped on exit. Its own factory, so every use case's unit shares its state."""

    def __init__(self) -> None:
        self.users = FakeUsers()
        self.sessions = FakeSessions()
        self.codes = FakeCodes()
        self.login_throttle = FakeLoginThrottle()
        super().__init__()

    def __call__(self) -> Self:
        return self

    def _auth(self) -> tuple[FakeUsers, FakeSessions, FakeCodes, FakeLoginThrottle]:
        return (self.users, self.sessions, self.codes, self.login_throttle)

    def _copy_areas(self):  # type: ignore[no-untyped-def]
        return (*super()._copy_areas(), copy.deepcopy(self._auth()))

    def _restore_areas(self) -> None:
        *mine, auth = self._areas
        self._areas = tuple(mine)
        try:
            super()._restore_areas()
        finally:
            self._areas = (*mine, auth)
        for live, saved in zip(self._auth(), copy.deepcopy(auth), strict=True):
            live.__dict__.update(saved.__dict__)


def a_user(username: str = "alice", password: str = "correct horse", **fields: Any) -> User:
    now = FakeClock().now()
    user = User(
        username=username,
        username_key=username.casefold(),
        email=f"{username}@example.com",
        email_key=rules.email_key(f"{username}@example.com"),
        password_hash=f"v2${password}",
        date_joined=now,
        updated_at=now,
        is_verified=True,
    )
    return replace(user, **fields)


def codes_in(box: FakeBox, sealed_payload: dict[str, Any]) -> tuple[str, str]:
    """The plain (token, otp) a queued account mail carries: its only copy, as the customer receives it."""
    import re
    from urllib.parse import parse_qs

    text = box.open(sealed_payload["sealed"])["text"]
    link = re.search(r"s2cart://[\w-]+\?(\S+)", text)
    assert link is not None, text
    query = parse_qs(link.group(1))
    return query["token"][0], query["otp"][0]
