"""Register, ResendVerification and email verification (by link and by OTP) with the fakes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from s2cart.application.accounts.codes import MAIL_TOPIC, CodeIssuer
from s2cart.application.accounts.mails import AccountMails
from s2cart.application.accounts.register import Register, RegisterCommand
from s2cart.application.accounts.resend_verification import ResendVerification
from s2cart.application.accounts.verify_email import VerifyEmailByOtp, VerifyEmailByToken
from s2cart.application.auth.session_starter import SessionStarter
from s2cart.domain.sessions.session import Device, DeviceType, SessionPolicy
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.users.one_time_code import CodePolicy
from s2cart.domain.users.passwords import PasswordPolicy
from tests.auth_fakes import AuthUnitOfWork, FakeBox, FakeHasher, FakeTokens, codes_in, fake_digest
from tests.fakes import FakeClock

POLICY = SessionPolicy()
CODES = CodePolicy()
WEB = Device(DeviceType.WEB, None, "Firefox", "203.0.113.9", None)
PASSWORD = "Tr0ub4dor&3-staple"


@dataclass
class World:
    uow: AuthUnitOfWork
    clock: FakeClock
    box: FakeBox
    register: Register
    resend: ResendVerification
    by_token: VerifyEmailByToken
    by_otp: VerifyEmailByOtp

    def mailed(self, index: int = -1) -> tuple[str, str]:
        return codes_in(self.box, self.uow.outbox.messages[index].payload)


@pytest.fixture
def world() -> World:
    clock, uow, box = FakeClock(), AuthUnitOfWork(), FakeBox()
    issuer = CodeIssuer(fake_digest, box, AccountMails("https://s2cart.test"), CODES)
    starter = SessionStarter(FakeTokens(clock, POLICY.access_ttl, POLICY.refresh_ttl), fake_digest, POLICY)
    return World(
        uow=uow,
        clock=clock,
        box=box,
        register=Register(uow, FakeHasher(), starter, issuer, clock, PasswordPolicy()),
        resend=ResendVerification(uow, issuer, clock),
        by_token=VerifyEmailByToken(uow, fake_digest, clock),
        by_otp=VerifyEmailByOtp(uow, fake_digest, clock, CODES),
    )


def _cmd(username: str = "Alice_1", email: str = "Alice@Example.com", password: str = PASSWORD) -> RegisterCommand:
    return RegisterCommand(username, email, password, WEB, first_name="Alice")


async def test_register_creates_an_unverified_account_a_token_session_and_a_queued_mail(world: World) -> None:
    registered = await world.register(_cmd())

    [user] = world.uow.users.users.values()
    assert (user.id, user.username, user.is_verified, user.password_hash) == (
        registered.user.id,
        "Alice_1",
        False,
        f"v2${PASSWORD}",
    )
    [session] = world.uow.sessions.sessions.values()
    assert (session.user_id, session.scheme, session.token_digest) == (user.id, "token", fake_digest(registered.token))
    assert registered.expires_at == world.clock.now() + POLICY.legacy_ttl
    [message] = world.uow.outbox.messages
    assert (message.id, message.topic, message.payload["kind"]) == (registered.outbox_id, MAIL_TOPIC, "verify_email")
    token, otp = world.mailed()
    assert PASSWORD not in str(message.payload) and token not in str(world.uow.codes.codes)
    [code] = world.uow.codes.codes
    assert (code.user_id, code.token_digest, code.otp_digest) == (user.id, fake_digest(token), fake_digest(otp))


async def test_register_reports_every_field_problem_at_once_and_creates_nothing(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await world.register(_cmd(username="a b", email="not-an-email", password="short"))
    assert {"username", "email", "password"} <= set(refused.value.errors)
    assert (world.uow.users.users, world.uow.sessions.sessions, world.uow.outbox.messages) == ({}, {}, [])


async def test_username_and_email_are_unique_case_insensitively(world: World) -> None:
    await world.register(_cmd())
    with pytest.raises(ValidationFailed) as refused:
        await world.register(_cmd(username="ALICE_1", email="alice@example.COM"))
    assert refused.value.errors == {  # both named at once, before the database would name only one
        "username": ["A user with that username already exists."],
        "email": ["A user with that email already exists."],
    }
    assert len(world.uow.users.users) == 1 and len(world.uow.outbox.messages) == 1


async def test_the_link_verifies_once_and_spends_the_otp(world: World) -> None:
    registered = await world.register(_cmd())
    token, otp = world.mailed()

    await world.by_token(token)

    assert world.uow.users.users[registered.user.id or 0].is_verified
    with pytest.raises(ValidationFailed):
        await world.by_token(token)
    with pytest.raises(ValidationFailed):
        await world.by_otp("alice@example.com", otp)


async def test_a_link_older_than_a_day_is_refused(world: World) -> None:
    registered = await world.register(_cmd())
    token, _ = world.mailed()
    world.clock.advance(hours=24)
    with pytest.raises(ValidationFailed):
        await world.by_token(token)
    assert not world.uow.users.users[registered.user.id or 0].is_verified


async def test_the_otp_verifies_and_the_fifth_wrong_try_spends_it(world: World) -> None:
    registered = await world.register(_cmd())
    _, otp = world.mailed()
    wrong = "000000" if otp != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            await world.by_otp("Alice@Example.com", wrong)
    [code] = world.uow.codes.codes
    assert code.otp_attempts == 5  # each wrong try was committed

    with pytest.raises(ValidationFailed):
        await world.by_otp("Alice@Example.com", otp)  # right, but too late
    assert not world.uow.users.users[registered.user.id or 0].is_verified

    await world.resend("alice@example.com")
    _, fresh = world.mailed()
    await world.by_otp("alice@example.com", fresh)
    assert world.uow.users.users[registered.user.id or 0].is_verified


async def test_an_otp_older_than_25_minutes_is_refused(world: World) -> None:
    await world.register(_cmd())
    _, otp = world.mailed()
    world.clock.advance(minutes=25)
    with pytest.raises(ValidationFailed):
        await world.by_otp("alice@example.com", otp)


async def test_resend_replaces_the_earlier_codes_and_says_nothing_about_unknown_emails(world: World) -> None:
    await world.register(_cmd())
    old_token, old_otp = world.mailed()

    assert await world.resend("nobody@example.com") is None
    outbox_id = await world.resend("ALICE@example.com")

    assert outbox_id == world.uow.outbox.messages[-1].id and len(world.uow.outbox.messages) == 2
    with pytest.raises(ValidationFailed):
        await world.by_token(old_token)
    with pytest.raises(ValidationFailed):
        await world.by_otp("alice@example.com", old_otp)
    new_token, _ = world.mailed()
    await world.by_token(new_token)
    assert await world.resend("alice@example.com") is None  # verified: nothing more to send
    assert len(world.uow.outbox.messages) == 2
