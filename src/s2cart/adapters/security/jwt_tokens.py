"""JWT access and refresh tokens with PyJWT: pinned algorithm, required claims, typed tokens."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from s2cart.application.ports.security import IssuedToken, TokenClaims, TokenKind
from s2cart.domain.shared.errors import AuthenticationFailed

REQUIRED = ["sub", "sid", "jti", "type", "iat", "exp", "iss", "aud"]


class JwtTokenService:
    """HS256 with a shared secret by default; RS256 or EdDSA with a key pair, so other services can
    verify S2Cart tokens holding only the public key."""

    def __init__(
        self,
        *,
        algorithm: str,
        signing_key: Any,
        verifying_key: Any,
        issuer: str,
        audience: str,
        access_ttl: timedelta,
        refresh_ttl: timedelta,
    ) -> None:
        self._algorithm = algorithm
        self._signing_key = signing_key
        self._verifying_key = verifying_key
        self._issuer = issuer
        self._audience = audience
        self._ttl = {"access": access_ttl, "refresh": refresh_ttl}

    def issue(self, user_id: int, session_id: str, kind: TokenKind, now: datetime) -> IssuedToken:
        expires_at = (now + self._ttl[kind]).replace(microsecond=0)
        jti = uuid.uuid4().hex
        claims = {
            "sub": str(user_id),
            "sid": session_id,
            "jti": jti,
            "type": kind,
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "iss": self._issuer,
            "aud": self._audience,
        }
        token = jwt.encode(claims, self._signing_key, algorithm=self._algorithm)
        return IssuedToken(token=token, jti=jti, expires_at=expires_at)

    def decode(self, token: str, kind: TokenKind) -> TokenClaims:
        try:
            claims = jwt.decode(
                token,
                self._verifying_key,
                algorithms=[self._algorithm],  # pinned: 'none' and algorithm confusion are refused
                audience=self._audience,
                issuer=self._issuer,
                options={"require": REQUIRED},
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("Token expired", code="AUTH_004") from None
        except jwt.PyJWTError:
            raise AuthenticationFailed("Invalid token", code="AUTH_005") from None
        if claims.get("type") != kind:
            raise AuthenticationFailed("Invalid token", code="AUTH_005")
        try:
            return TokenClaims(
                user_id=int(claims["sub"]),
                session_id=str(claims["sid"]),
                jti=str(claims["jti"]),
                kind=kind,
                issued_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
                expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            )
        except (TypeError, ValueError):
            raise AuthenticationFailed("Invalid token", code="AUTH_005") from None
