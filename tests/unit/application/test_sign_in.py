"""SignIn with the fakes: unknown user and wrong password alike, lockout after five, the address throttle,
unverified accounts, and what a success records."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from s2cart.application.auth.session_starter import SessionStarter
from s2cart.application.auth.sign_in import SignIn, SignInCommand
from s2cart.domain.sessions.session import AuthScheme, Device, DeviceType, SessionPolicy
from s2cart.domain.shared.errors import TooManyAttempts, ValidationFailed
from s2cart.domain.users.errors import AccountLocked, AccountNotVerified, InvalidCredentials
from s2cart.domain.users.sign_in_throttle import SignInThrottlePolicy
from s2cart.domain.users.user import LockoutPolicy
from tests.auth_fakes import AuthUnitOfWork, FakeHasher, FakeTokens, a_user, fake_digest
from tests.fakes import FakeClock

PASSWORD = "correct horse"
PHONE = Device(DeviceType.ANDROID, "dev-1", "S2Cart/1.0", "203.0.113.9", "1.0")
POLICY = SessionPolicy()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def uow() -> AuthUnitOfWork:
    fake = AuthUnitOfWork()
    fake.users.users[1] = replace(a_user("alice", PASSWORD), id=1)
    fake.users.last_id = 1
    return fake


@pytest.fixture
def hasher() -> FakeHasher:
    return FakeHasher()


def _sign_in(uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher) -> SignIn:
    tokens = FakeTokens(clock, POLICY.access_ttl, POLICY.refresh_ttl)
    starter = SessionStarter(tokens, fake_digest, POLICY)
    return SignIn(uow, hasher, starter, clock, LockoutPolicy(), SignInThrottlePolicy())


def _cmd(
    password: str = PASSWORD, scheme: AuthScheme = AuthScheme.JWT, ip: str | None = None, **who: str
) -> SignInCommand:
    return SignInCommand(password, PHONE, scheme, client_ip=ip, **(who or {"username": "alice"}))


async def test_success_opens_a_jwt_session_records_the_login_and_clears_failures(
    uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher
) -> None:
    sign_in = _sign_in(uow, clock, hasher)
    with pytest.raises(InvalidCredentials):
        await sign_in(_cmd("wrong"))
    assert uow.users.users[1].failed_login_attempts == 1

    signed = await sign_in(_cmd(email=" ALICE@example.com "))

    user = uow.users.users[1]
    assert (user.last_login, user.failed_login_attempts) == (clock.now(), 0)
    started = signed.started
    assert started.access is not None and started.refresh is not None and started.legacy_token is None
    stored = uow.sessions.sessions[started.session.id]
    assert (stored.user_id, stored.scheme, stored.refresh_jti, stored.device_type) == (
        1,
        "jwt",
        started.refresh.jti,
        "ANDROID",
    )


async def test_a_legacy_token_session_keeps_only_the_digest_of_its_token(
    uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher
) -> None:
    signed = await _sign_in(uow, clock, hasher)(_cmd(scheme=AuthScheme.TOKEN))
    token = signed.started.legacy_token
    assert token is not None
    stored = uow.sessions.sessions[signed.started.session.id]
    assert (stored.token_digest, stored.refresh_jti) == (fake_digest(token), None)
    assert token not in repr(stored)
    assert stored.expires_at == clock.now() + POLICY.legacy_ttl


async def test_unknown_user_and_wrong_password_answer_alike(
    uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher
) -> None:
    sign_in = _sign_in(uow, clock, hasher)
    with pytest.raises(InvalidCredentials) as unknown:
        await sign_in(_cmd(username="nobody"))
    with pytest.raises(InvalidCredentials) as wrong:
        await sign_in(_cmd("wrong"))
    assert (unknown.value.code, str(unknown.value)) == (wrong.value.code, str(wrong.value))
    assert hasher.dummy_checks == 1  # the unknown account still cost one hash
    assert uow.sessions.sessions == {}


async def test_the_fifth_failure_locks_the_account_even_for_the_right_password(
    uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher
) -> None:
    sign_in = _sign_in(uow, clock, hasher)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await sign_in(_cmd("wrong"))
    with pytest.raises(AccountLocked):
        await sign_in(_cmd("wrong"))
    assert uow.users.users[1].locked_until == clock.now() + timedelta(hours=1)

    clock.advance(minutes=59)
    with pytest.raises(AccountLocked):
        await sign_in(_cmd())
    assert uow.sessions.sessions == {}

    clock.advance(minutes=1)
    signed = await sign_in(_cmd())
    assert signed.started.session.id in uow.sessions.alive(clock.now())


async def test_an_address_with_too_many_failures_on_one_account_is_throttled_before_the_password(
    uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher
) -> None:
    sign_in = _sign_in(uow, clock, hasher)
    for _ in range(10):  # the pair's limit; an unknown account never locks, so only the throttle stops this
        with pytest.raises(InvalidCredentials):
            await sign_in(_cmd(username="ghost", ip="198.51.100.7"))

    with pytest.raises(TooManyAttempts) as throttled:
        await sign_in(_cmd(username="ghost", ip="198.51.100.7"))
    assert throttled.value.retry_after is not None and 0 < throttled.value.retry_after <= 61
    assert hasher.dummy_checks == 10  # refused before any hash
    # Another address, and the same address for another account, are not held back.
    with pytest.raises(InvalidCredentials):
        await sign_in(_cmd(username="ghost", ip="198.51.100.8"))
    await sign_in(_cmd(ip="198.51.100.7"))


async def test_success_clears_the_pairs_count_but_not_the_addresss(
    uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher
) -> None:
    sign_in = _sign_in(uow, clock, hasher)
    with pytest.raises(InvalidCredentials):
        await sign_in(_cmd("wrong", ip="198.51.100.7"))
    assert len(uow.login_throttle.states) == 2

    await sign_in(_cmd(ip="198.51.100.7"))

    assert list(uow.login_throttle.states) == ["ip:198.51.100.7"]
    assert uow.login_throttle.states["ip:198.51.100.7"].failures == 1


async def test_an_unverified_account_is_refused_once_the_password_is_proven(
    uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher
) -> None:
    uow.users.users[1].is_verified = False
    with pytest.raises(AccountNotVerified):
        await _sign_in(uow, clock, hasher)(_cmd())
    assert uow.sessions.sessions == {} and uow.users.users[1].last_login is None


async def test_an_inactive_account_is_as_unknown(uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher) -> None:
    uow.users.users[1].is_active = False
    with pytest.raises(InvalidCredentials):
        await _sign_in(uow, clock, hasher)(_cmd())
    assert uow.sessions.sessions == {}


async def test_an_outdated_hash_is_replaced_on_success(
    uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher
) -> None:
    uow.users.users[1].password_hash = f"v1${PASSWORD}"
    await _sign_in(uow, clock, hasher)(_cmd())
    assert uow.users.users[1].password_hash == f"v2${PASSWORD}"


async def test_neither_username_nor_email_is_a_validation_error(
    uow: AuthUnitOfWork, clock: FakeClock, hasher: FakeHasher
) -> None:
    with pytest.raises(ValidationFailed):
        await _sign_in(uow, clock, hasher)(SignInCommand(PASSWORD, PHONE, AuthScheme.JWT))
    assert uow.users.users[1].failed_login_attempts == 0
