"""Ports for the crypto S2Cart relies on: password hashing, token signing, keyed digests, sealing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

TokenKind = Literal["access", "refresh"]


class PasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...

    async def verify_dummy(self, password: str) -> None:
        """Spend the time of one verify, so an unknown account answers as slowly as a known one."""
        ...


class SecretDigest(Protocol):
    """A keyed, deterministic digest for secrets we must find again (link tokens, OTPs, legacy keys)."""

    def __call__(self, secret: str) -> str: ...


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    session_id: str
    jti: str
    kind: TokenKind
    issued_at: datetime
    expires_at: datetime


class TokenService(Protocol):
    def issue(self, user_id: int, session_id: str, kind: TokenKind, now: datetime) -> IssuedToken: ...

    def decode(self, token: str, kind: TokenKind) -> TokenClaims:
        """Raise AuthenticationFailed (AUTH_004 expired, AUTH_005 anything else) unless valid."""
        ...


class SecretBox(Protocol):
    """Authenticated encryption for secrets at rest that must be read back (mail bodies in the outbox)."""

    def seal(self, payload: dict[str, Any]) -> str: ...

    def open(self, sealed: str) -> dict[str, Any]: ...
