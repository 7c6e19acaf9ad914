"""The JWT adapter's cache of verified access tokens (decision 0045): what was verified once is served again
without the signature check, but the clock is read on every use, and nothing that failed is ever kept."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from s2cart.adapters.security.jwt_tokens import JwtTokenService
from s2cart.domain.shared.errors import AuthenticationFailed

SECRET = "a-test-secret-of-sufficient-length-for-hs256"


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def service(clock: Clock | None = None, verified_tokens: int = 4096, secret: str = SECRET) -> JwtTokenService:
    return JwtTokenService(
        algorithm="HS256",
        signing_key=secret,
        verifying_key=secret,
        issuer="s2cart",
        audience="s2cart-api",
        access_ttl=timedelta(minutes=5),
        refresh_ttl=timedelta(days=7),
        verified_tokens=verified_tokens,
        now=clock or time.time,
    )


def refused(tokens: JwtTokenService, token: str, kind: str = "access") -> str:
    with pytest.raises(AuthenticationFailed) as failed:
        tokens.decode(token, kind)  # type: ignore[arg-type]
    return str(failed.value.code)


def test_an_expired_token_verified_and_kept_earlier_is_refused() -> None:
    clock = Clock()
    tokens = service(clock)
    issued = tokens.issue(7, "session-1", "access", datetime.now(UTC))
    first = tokens.decode(issued.token, "access")
    assert tokens.decode(issued.token, "access") is first  # kept: the second use skipped the verification
    clock.offset = (issued.expires_at - datetime.now(UTC)).total_seconds() - 1
    assert tokens.decode(issued.token, "access") is first  # a second before its expiry: still good
    clock.offset += 1.01
    assert refused(tokens, issued.token) == "AUTH_004"  # reached its exp: expired, though kept
    assert issued.token not in tokens._verified  # and dropped (PyJWT, on the real clock, would still accept it)


def test_a_token_that_failed_is_never_kept() -> None:
    tokens = service()
    now = datetime.now(UTC)
    good = tokens.issue(7, "session-1", "access", now)
    forged = service(secret="another-secret-of-sufficient-length-for-hs")
    bad = forged.issue(7, "session-1", "access", now).token
    expired = tokens.issue(7, "session-1", "access", now - timedelta(hours=1)).token
    claims = jwt.decode(good.token, options={"verify_signature": False})
    wrong_audience = jwt.encode({**claims, "aud": "another-api"}, SECRET, algorithm="HS256")
    for token in (bad, expired, wrong_audience, "garbage"):
        for _ in range(2):
            assert refused(tokens, token) in {"AUTH_004", "AUTH_005"}
    assert tokens._verified == {}
    assert refused(tokens, expired) == "AUTH_004"
    assert tokens.decode(good.token, "access").user_id == 7


def test_only_access_tokens_are_kept_and_a_kept_one_is_no_refresh_token() -> None:
    tokens = service()
    now = datetime.now(UTC)
    refresh = tokens.issue(7, "session-1", "refresh", now).token
    assert tokens.decode(refresh, "refresh").kind == "refresh"
    assert tokens._verified == {}
    access = tokens.issue(7, "session-1", "access", now).token
    tokens.decode(access, "access")
    assert refused(tokens, access, "refresh") == "AUTH_005"


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    tokens = service(verified_tokens=2)
    now = datetime.now(UTC)
    one, two, three = (tokens.issue(i, f"s{i}", "access", now).token for i in (1, 2, 3))
    tokens.decode(one, "access")
    tokens.decode(two, "access")
    tokens.decode(one, "access")  # used again: two is now the least recent
    tokens.decode(three, "access")
    assert list(tokens._verified) == [one, three]
    off = service(verified_tokens=0)
    off.decode(one, "access")
    assert off._verified == {}


@pytest.mark.parametrize("algorithm", ["HS256", "HS384", "HS512"])
@pytest.mark.parametrize("issuer", ["s2cart", "s2cart-ünïcode ✓"])
def test_tokens_signed_without_pyjwt_are_byte_for_byte_what_pyjwt_signs(algorithm: str, issuer: str) -> None:
    # decision 0049: HMAC tokens are signed by the service itself; any drift from jwt.encode (header, claim order,
    # JSON escaping, padding) changes the bytes and fails here.
    tokens = JwtTokenService(
        algorithm=algorithm,
        signing_key=SECRET,
        verifying_key=SECRET,
        issuer=issuer,
        audience="s2cart-api",
        access_ttl=timedelta(minutes=5),
        refresh_ttl=timedelta(days=7),
    )
    for kind in ("access", "refresh"):
        issued = tokens.issue(12345, "sid-" + "x" * 40, kind, datetime.now(UTC))  # type: ignore[arg-type]
        claims = jwt.decode(issued.token, SECRET, algorithms=[algorithm], audience="s2cart-api", issuer=issuer)
        assert list(claims) == ["sub", "sid", "jti", "type", "iat", "exp", "iss", "aud"]
        assert issued.token == jwt.encode(claims, SECRET, algorithm=algorithm)
        assert tokens.decode(issued.token, kind).jti == issued.jti  # type: ignore[arg-type]


def test_an_asymmetric_key_is_refused_as_an_hmac_secret_when_the_service_is_built() -> None:
    pem = (
        "-----BEGIN PUBLIC KEY-----\n"
        "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
        "-----END PUBLIC KEY-----\n"
    )
    with pytest.raises(jwt.InvalidKeyError):
        service(secret=pem)
