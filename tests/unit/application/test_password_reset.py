"""RequestPasswordReset and ConfirmPasswordReset with the fakes: the same answer for everyone, single use,
the lockout lifted and every session ended."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

import pytest

from s2cart.application.accounts.codes import CodeIssuer
from s2cart.application.accounts.confirm_password_reset import ConfirmPasswordReset, ConfirmResetCommand
from s2cart.application.accounts.mails import AccountMails
from s2cart.application.accounts.request_password_reset import RequestPasswordReset
from s2cart.application.auth.session_starter import SessionStarter
from s2cart.domain.sessions.session import AuthScheme, Device, DeviceType, SessionPolicy
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.users.one_time_code import CodePolicy
from s2cart.domain.users.passwords import PasswordPolicy
from tests.auth_fakes import AuthUnitOfWork, FakeBox, FakeHasher, FakeTokens, a_user, codes_in, fake_digest
from tests.fakes import FakeClock

ALICE = 1
POLICY = SessionPolicy()
CODES = CodePolicy()
NEW_PASSWORD = "Tr0ub4dor&3-staple"


@dataclass
class World:
    uow: AuthUnitOfWork
    clock: FakeClock
    box: FakeBox
    request: RequestPasswordReset
    confirm: ConfirmPasswordReset

    def mailed(self) -> tuple[str, str]:
        return codes_in(self.box, self.uow.outbox.messages[-1].payload)

    async def sessions(self, count: int) -> None:
        starter = SessionStarter(FakeTokens(self.clock, POLICY.access_ttl, POLICY.refresh_ttl), fake_digest, POLICY)
        async with self.uow() as uow:
            for n in range(count):
                device = Device(DeviceType.ANDROID, f"phone-{n}", "S2Cart", None, None)
                await starter.start(uow, ALICE, AuthScheme.JWT, device, self.clock.now())
            await uow.commit()


@pytest.fixture
def world() -> World:
    clock, uow, box = FakeClock(), AuthUnitOfWork(), FakeBox()
    uow.users.users[ALICE] = replace(a_user("alice", "old password 1"), id=ALICE)
    issuer = CodeIssuer(fake_digest, box, AccountMails("https://s2cart.test"), CODES)
    return World(
        uow=uow,
        clock=clock,
        box=box,
        request=RequestPasswordReset(uow, issuer, clock),
        confirm=ConfirmPasswordReset(uow, FakeHasher(), fake_digest, clock, CODES, PasswordPolicy()),
    )


async def test_a_request_mails_only_an_existing_active_account(world: World) -> None:
    assert await world.request("nobody@example.com") is None
    assert world.uow.outbox.messages == []

    outbox_id = await world.request(" ALICE@example.com ")

    [message] = world.uow.outbox.messages
    assert (message.id, message.payload["kind"]) == (outbox_id, "reset_password")
    world.uow.users.users[ALICE].is_active = False
    assert await world.request("alice@example.com") is None


async def test_the_token_sets_the_password_lifts_the_lock_and_ends_every_session(world: World) -> None:
    await world.sessions(2)
    user = world.uow.users.users[ALICE]
    user.locked_until, user.failed_login_attempts = world.clock.now() + timedelta(hours=1), 3
    await world.request("alice@example.com")
    token, _ = world.mailed()

    assert await world.confirm(ConfirmResetCommand(NEW_PASSWORD, token=token)) == "token"

    user = world.uow.users.users[ALICE]
    assert (user.password_hash, user.locked_until, user.failed_login_attempts) == (f"v2${NEW_PASSWORD}", None, 0)
    assert world.uow.sessions.alive(world.clock.now()) == set()
    assert {s.revoked_reason for s in world.uow.sessions.sessions.values()} == {"password_reset"}
    with pytest.raises(ValidationFailed):  # single use
        await world.confirm(ConfirmResetCommand("An0ther-good-one", token=token))
    assert world.uow.users.users[ALICE].password_hash == f"v2${NEW_PASSWORD}"


async def test_the_otp_resets_too_and_a_new_request_replaces_the_old_codes(world: World) -> None:
    await world.request("alice@example.com")
    old_token, old_otp = world.mailed()
    await world.request("alice@example.com")
    _, otp = world.mailed()

    for stale in (
        ConfirmResetCommand(NEW_PASSWORD, token=old_token),
        ConfirmResetCommand(NEW_PASSWORD, email="alice@example.com", otp=old_otp),
    ):
        if stale.otp == otp:
            continue  # two random OTPs may coincide; the token case still checks the replacement
        with pytest.raises(ValidationFailed):
            await world.confirm(stale)

    assert await world.confirm(ConfirmResetCommand(NEW_PASSWORD, email="Alice@Example.com", otp=otp)) == "otp"
    assert world.uow.users.users[ALICE].password_hash == f"v2${NEW_PASSWORD}"


async def test_a_wrong_otp_counts_and_the_fifth_spends_the_code(world: World) -> None:
    await world.request("alice@example.com")
    _, otp = world.mailed()
    wrong = "000000" if otp != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            await world.confirm(ConfirmResetCommand(NEW_PASSWORD, email="alice@example.com", otp=wrong))

    with pytest.raises(ValidationFailed):
        await world.confirm(ConfirmResetCommand(NEW_PASSWORD, email="alice@example.com", otp=otp))
    assert world.uow.users.users[ALICE].password_hash == "v2$old password 1"


async def test_a_weak_new_password_is_refused_and_the_code_stays_usable(world: World) -> None:
    await world.sessions(1)
    await world.request("alice@example.com")
    token, _ = world.mailed()

    with pytest.raises(ValidationFailed):
        await world.confirm(ConfirmResetCommand("short", token=token))

    assert world.uow.users.users[ALICE].password_hash == "v2$old password 1"
    assert len(world.uow.sessions.alive(world.clock.now())) == 1
    await world.confirm(ConfirmResetCommand(NEW_PASSWORD, token=token))


async def test_neither_token_nor_email_and_otp_is_a_validation_error(world: World) -> None:
    with pytest.raises(ValidationFailed):
        await world.confirm(ConfirmResetCommand(NEW_PASSWORD, email="alice@example.com"))
