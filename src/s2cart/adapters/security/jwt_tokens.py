"""JWT access and refresh tokens with PyJWT: pinned algorithm, required claims, typed tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from jwt.algorithms import HMACAlgorithm

from s2cart.application.ports.security import IssuedToken, TokenClaims, TokenKind
from s2cart.domain.shared.errors import AuthenticationFailed

REQUIRED = ["sub", "sid", "jti", "type", "iat", "exp", "iss", "aud"]
# Access tokens verified in this process, kept by their exact text (decision 0045). A worker sees each caller's
# token on every request until it expires; ~0.95 kB an entry with the token's text (~4 MB at the bound).
VERIFIED_TOKENS = 4096
# HMAC algorithms whose tokens ``issue`` signs itself (decision 0049): PyJWT's encode checked the secret again on
# every call (PEM, SSH, DER and JWK shapes, two of them parsed by cryptography), about 10 us of a 19 us encode.
_HMAC_DIGESTS = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")  # PyJWT's base64url_encode


class JwtTokenService:
    """HS256 with a shared secret by default; RS256 or EdDSA with a key pair, so other services can
    verify S2Cart tokens holding only the public key.

    Access tokens that passed verification are kept, by their exact text, in a bounded LRU of this process
    (``verified_tokens`` entries, 0 turns it off): the same token again skips the signature and the claim checks,
    which gave the same answer for the same bytes and key, but not the clock: its expiry is checked on every
    use. Nothing that failed is kept, and refresh tokens (spent on use) are not kept.

    With an HMAC algorithm the tokens are signed here, byte for byte as ``jwt.encode`` signs them (the same
    header, sorted, the claims in the same order, the same JSON and base64url), with the secret checked once, by
    PyJWT's own ``prepare_key``, when the service is built rather than on every token; verification stays PyJWT's."""

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
        verified_tokens: int = VERIFIED_TOKENS,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._algorithm = algorithm
        self._signing_key = signing_key
        self._verifying_key = verifying_key
        self._issuer = issuer
        self._audience = audience
        self._ttl = {"access": access_ttl, "refresh": refresh_ttl}
        self._verified: OrderedDict[str, tuple[TokenClaims, int]] = OrderedDict()
        self._max_verified = verified_tokens
        self._now = now
        self._hmac: tuple[bytes, Any, bytes] | None = None
        digest = _HMAC_DIGESTS.get(algorithm)
        if digest is not None:
            key = HMACAlgorithm(digest).prepare_key(signing_key)  # refuses an asymmetric key, as jwt.encode does
            header = json.dumps({"typ": "JWT", "alg": algorithm}, separators=(",", ":"), sort_keys=True)
            self._hmac = (key, digest, _b64(header.encode()) + b".")

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
        if self._hmac is None:
            token = jwt.encode(claims, self._signing_key, algorithm=self._algorithm)
        else:
            key, digest, header = self._hmac
            signing_input = header + _b64(json.dumps(claims, separators=(",", ":")).encode())
            token = (signing_input + b"." + _b64(hmac.digest(key, signing_input, digest))).decode()
        return IssuedToken(token=token, jti=jti, expires_at=expires_at)

    def decode(self, token: str, kind: TokenKind) -> TokenClaims:
        kept = self._verified.get(token)
        if kept is not None:
            claims, expires = kept
            if claims.kind != kind:
                raise AuthenticationFailed("Invalid token", code="AUTH_005")
            if expires <= self._now():  # as PyJWT: expired once ``exp`` is reached (no leeway)
                self._verified.pop(token, None)
                raise AuthenticationFailed("Token expired", code="AUTH_004")
            self._verified.move_to_end(token)
            return claims
        verified = self._verify(token, kind)
        if kind == "access" and self._max_verified > 0:
            if len(self._verified) >= self._max_verified:
                self._verified.popitem(last=False)
            self._verified[token] = (verified, int(verified.expires_at.timestamp()))
        return verified

    def _verify(self, token: str, kind: TokenKind) -> TokenClaims:
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
