"""RefreshTokens, Logout, ListSessions and EndSession with the fakes: rotation, reuse detection revoking the
session, and each way of ending sessions."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from s2cart.application.auth.logout import Logout, LogoutCommand
from s2cart.application.auth.principal import Principal
from s2cart.application.auth.refresh_tokens import RefreshTokens
from s2cart.application.auth.session_starter import SessionStarter, StartedSession
from s2cart.application.auth.sessions import EndSession, ListSessions
from s2cart.domain.sessions.session import AuthScheme, Device, DeviceType, LogoutType, SessionPolicy
from s2cart.domain.shared.errors import AuthenticationFailed, NotFound, ValidationFailed
from tests.auth_fakes import AuthUnitOfWork, FakeRefreshRotation, FakeTokens, a_user, fake_digest
from tests.fakes import FakeClock

ALICE, BOB = 1, 2
POLICY = SessionPolicy()
ANDROID = Device(DeviceType.ANDROID, "a-1", "S2Cart/1.0", None, None)
WEB = Device(DeviceType.WEB, None, "Firefox", None, None)


@dataclass
class World:
    uow: AuthUnitOfWork
    clock: FakeClock
    tokens: FakeTokens
    refresh: RefreshTokens
    logout: Logout

    async def start(self, user_id: int = ALICE, device: Device = ANDROID) -> StartedSession:
        starter = SessionStarter(self.tokens, fake_digest, POLICY)
        async with self.uow() as uow:
            started = await starter.start(uow, user_id, AuthScheme.JWT, device, self.clock.now())
            await uow.commit()
        return started

    def alive(self) -> set[str]:
        return self.uow.sessions.alive(self.clock.now())


def principal(started: StartedSession) -> Principal:
    s = started.session
    return Principal(s.user_id, s.id, s.scheme, s.device_type, "STANDARD", True)


def refresh_token(started: StartedSession) -> str:
    assert started.refresh is not None
    return started.refresh.token


@pytest.fixture
def world() -> World:
    clock = FakeClock()
    uow = AuthUnitOfWork()
    for user_id, name in ((ALICE, "alice"), (BOB, "bob")):
        uow.users.users[user_id] = replace(a_user(name), id=user_id)
    tokens = FakeTokens(clock, POLICY.access_ttl, POLICY.refresh_ttl)
    return World(
        uow,
        clock,
        tokens,
        RefreshTokens(uow, tokens, clock, POLICY, FakeRefreshRotation(uow)),
        Logout(uow, tokens, clock),
    )


async def test_refresh_rotates_the_pair_and_spends_the_old_token(world: World) -> None:
    started = await world.start()
    world.clock.advance(days=1)

    pair = await world.refresh(refresh_token(started))

    stored = world.uow.sessions.sessions[started.session.id]
    assert started.refresh is not None
    assert (stored.refresh_jti, stored.previous_refresh_jti, stored.rotated_at) == (
        pair.refresh.jti,
        started.refresh.jti,
        world.clock.now(),
    )
    assert stored.expires_at == world.clock.now() + POLICY.refresh_ttl
    assert world.tokens.decode(pair.access.token, "access").session_id == started.session.id
    again = await world.refresh(pair.refresh.token)  # the new one works in turn
    assert again.refresh.jti != pair.refresh.jti


async def test_a_spent_token_within_the_grace_window_is_refused_but_the_session_lives(world: World) -> None:
    started = await world.start()
    pair = await world.refresh(refresh_token(started))
    world.clock.advance(seconds=5)

    with pytest.raises(AuthenticationFailed, match="already used"):
        await world.refresh(refresh_token(started))

    assert started.session.id in world.alive()
    await world.refresh(pair.refresh.token)


async def test_a_spent_token_after_the_grace_window_revokes_the_whole_session(world: World) -> None:
    started = await world.start()
    pair = await world.refresh(refresh_token(started))
    world.clock.advance(seconds=11)

    with pytest.raises(AuthenticationFailed, match="reuse"):
        await world.refresh(refresh_token(started))

    stored = world.uow.sessions.sessions[started.session.id]
    assert (stored.revoked_at, stored.revoked_reason) == (world.clock.now(), "refresh_token_reuse")
    with pytest.raises(AuthenticationFailed):  # the thief's rival, the rightful token, is dead too
        await world.refresh(pair.refresh.token)


async def test_refresh_refuses_a_revoked_session_or_an_access_token(world: World) -> None:
    started = await world.start()
    assert started.access is not None
    with pytest.raises(AuthenticationFailed):
        await world.refresh(started.access.token)
    await world.logout(principal(started), LogoutCommand())
    with pytest.raises(AuthenticationFailed, match="ended"):
        await world.refresh(refresh_token(started))
    assert world.uow.sessions.sessions[started.session.id].refresh_jti == started.refresh.jti  # type: ignore[union-attr]


async def test_logout_current_ends_only_the_callers_session(world: World) -> None:
    mine, other_device, bobs = await world.start(), await world.start(device=WEB), await world.start(BOB)

    message = await world.logout(principal(mine), LogoutCommand())

    assert message == "Successfully logged out from current session"
    assert world.alive() == {other_device.session.id, bobs.session.id}
    assert world.uow.sessions.sessions[mine.session.id].revoked_reason == "logout"


async def test_logout_all_ends_every_session_of_the_user_only(world: World) -> None:
    mine, other_device, bobs = await world.start(), await world.start(device=WEB), await world.start(BOB)
    await world.logout(principal(mine), LogoutCommand(LogoutType.ALL))
    assert world.alive() == {bobs.session.id}
    assert other_device.session.id not in world.alive()


async def test_logout_by_device_type_ends_that_type_only(world: World) -> None:
    phone, browser, second_phone = await world.start(), await world.start(device=WEB), await world.start()

    message = await world.logout(principal(browser), LogoutCommand(LogoutType.DEVICE_TYPE, DeviceType.ANDROID))

    assert message == "Successfully logged out from all ANDROID sessions"
    assert world.alive() == {browser.session.id}
    assert {phone.session.id, second_phone.session.id}.isdisjoint(world.alive())
    with pytest.raises(ValidationFailed):
        await world.logout(principal(browser), LogoutCommand(LogoutType.DEVICE_TYPE))
    assert world.alive() == {browser.session.id}


async def test_a_refresh_token_given_at_logout_ends_its_session_only_if_it_is_the_callers(world: World) -> None:
    current, other, bobs = await world.start(), await world.start(device=WEB), await world.start(BOB)

    await world.logout(principal(current), LogoutCommand(refresh=refresh_token(bobs)))
    assert bobs.session.id in world.alive()

    await world.logout(principal(other), LogoutCommand(refresh=refresh_token(current)))
    await world.logout(principal(other), LogoutCommand(refresh="not a token"))
    assert world.alive() == {bobs.session.id}


async def test_list_and_end_sessions(world: World) -> None:
    first, second, bobs = await world.start(), await world.start(device=WEB), await world.start(BOB)
    list_sessions, end = ListSessions(world.uow, world.clock), EndSession(world.uow, world.clock)
    assert {s.id for s in await list_sessions(ALICE)} == {first.session.id, second.session.id}

    with pytest.raises(NotFound):
        await end(ALICE, bobs.session.id)
    ended = await end(ALICE, second.session.id)

    assert ended.revoked_reason == "terminated_by_user"
    assert {s.id for s in await list_sessions(ALICE)} == {first.session.id}
    assert bobs.session.id in world.alive()
    with pytest.raises(NotFound):  # a dead one is as unknown
        await end(ALICE, second.session.id)
