"""Authenticate and VerifyToken with the fakes: the session decides on every request, for both schemes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

import pytest

from s2cart.application.auth.authenticate import Authenticate
from s2cart.application.auth.logout import Logout, LogoutCommand
from s2cart.application.auth.session_cache import CachedSessionLookup
from s2cart.application.auth.session_starter import SessionStarter, StartedSession
from s2cart.application.auth.verify_token import VerifyToken
from s2cart.application.ports.auth import EpochRead
from s2cart.domain.sessions.session import AuthScheme, Device, DeviceType, SessionPolicy
from s2cart.domain.shared.errors import AuthenticationFailed
from tests.auth_fakes import AuthUnitOfWork, FakeSessionLookup, FakeTokens, a_user, fake_digest
from tests.fakes import FakeClock

ALICE, BOB = 1, 2
POLICY = SessionPolicy()
WEB = Device(DeviceType.WEB, None, "Firefox", None, None)


@dataclass
class World:
    uow: AuthUnitOfWork
    clock: FakeClock
    tokens: FakeTokens
    authenticate: Authenticate
    verify: VerifyToken

    async def start(self, scheme: AuthScheme = AuthScheme.JWT, user_id: int = ALICE) -> StartedSession:
        starter = SessionStarter(self.tokens, fake_digest, POLICY)
        async with self.uow() as uow:
            started = await starter.start(uow, user_id, scheme, WEB, self.clock.now())
            await uow.commit()
        return started


def access(started: StartedSession) -> str:
    assert started.access is not None
    return started.access.token


@pytest.fixture
def world() -> World:
    clock, uow = FakeClock(), AuthUnitOfWork()
    for user_id, name in ((ALICE, "alice"), (BOB, "bob")):
        uow.users.users[user_id] = replace(a_user(name), id=user_id)
    tokens = FakeTokens(clock, POLICY.access_ttl, POLICY.refresh_ttl)
    lookup = FakeSessionLookup(uow)
    return World(
        uow, clock, tokens, Authenticate(tokens, fake_digest, lookup, clock), VerifyToken(tokens, lookup, clock)
    )


async def test_an_access_token_of_a_live_session_is_the_caller(world: World) -> None:
    started = await world.start()
    principal = await world.authenticate(access(started))
    assert (principal.user_id, principal.session_id, principal.scheme, principal.tier, principal.is_verified) == (
        ALICE,
        started.session.id,
        "jwt",
        "standard",
        True,
    )


async def test_a_legacy_token_is_found_by_its_digest(world: World) -> None:
    started = await world.start(AuthScheme.TOKEN)
    assert started.legacy_token is not None
    principal = await world.authenticate(started.legacy_token)
    assert (principal.session_id, principal.scheme) == (started.session.id, "token")
    with pytest.raises(AuthenticationFailed):
        await world.authenticate("0" * 40)


async def test_logout_takes_effect_on_the_next_request(world: World) -> None:
    started = await world.start()
    principal = await world.authenticate(access(started))
    await Logout(world.uow, world.tokens, world.clock)(principal, LogoutCommand())

    with pytest.raises(AuthenticationFailed, match="ended"):
        await world.authenticate(access(started))
    with pytest.raises(AuthenticationFailed):
        await world.verify(access(started))


async def test_a_deactivated_account_and_an_expired_token_are_refused(world: World) -> None:
    started = await world.start()
    world.uow.users.users[ALICE].is_active = False
    with pytest.raises(AuthenticationFailed):
        await world.authenticate(access(started))
    world.uow.users.users[ALICE].is_active = True
    world.clock.advance(days=7)
    with pytest.raises(AuthenticationFailed) as expired:
        await world.authenticate(access(started))
    assert expired.value.code == "AUTH_004"


async def test_a_token_naming_another_users_session_is_refused(world: World) -> None:
    bobs = await world.start(user_id=BOB)
    forged = world.tokens.issue(ALICE, bobs.session.id, "access", world.clock.now())
    with pytest.raises(AuthenticationFailed):
        await world.authenticate(forged.token)
    with pytest.raises(AuthenticationFailed):
        await world.verify(forged.token)


async def test_activity_is_written_at_most_once_a_minute(world: World) -> None:
    started = await world.start()
    stored = world.uow.sessions.sessions[started.session.id]
    created = stored.last_activity
    world.clock.advance(seconds=59)
    await world.authenticate(access(started))
    assert stored.last_activity == created
    world.clock.advance(seconds=1)
    await world.authenticate(access(started))
    assert stored.last_activity == world.clock.now()


async def test_verify_token_accepts_access_and_refresh_tokens_of_a_live_session(world: World) -> None:
    started = await world.start()
    assert started.refresh is not None
    await world.verify(access(started))
    await world.verify(started.refresh.token)
    with pytest.raises(AuthenticationFailed):
        await world.verify("not.a.token")


class SharedEpoch:
    """The AuthEpoch another worker's revocation would move; counts how often it is asked."""

    def __init__(self) -> None:
        self.value: str | None = "e1"
        self.reads = 0

    async def current(self) -> str | None:
        self.reads += 1
        return self.value

    async def begin_change(self) -> str:
        return "fence"

    async def end_change(self, fence: str) -> None:
        return None


async def test_a_cached_session_names_its_caller_and_the_epoch_read_with_the_count_decides(world: World) -> None:
    started = await world.start()
    epoch = SharedEpoch()
    cache = CachedSessionLookup(FakeSessionLookup(world.uow), epoch, world.clock, ttl=timedelta(seconds=30))
    authenticate = Authenticate(world.tokens, fake_digest, cache, world.clock)

    first = authenticate.prepare(access(started))
    assert first.cached_caller is None  # nothing kept yet: the session is checked before the count
    await authenticate.complete(first)
    assert epoch.reads == 1

    again = authenticate.prepare(access(started))
    assert again.cached_caller == (ALICE, world.uow.users.users[ALICE].tier, "e1")
    principal = await authenticate.complete(again, EpochRead("e1"))
    assert (principal.user_id, epoch.reads) == (ALICE, 1)  # the epoch the limiter read was enough

    # Logged out elsewhere: the cache still offers the caller (a guess), the epoch read with the count moved on.
    await Logout(world.uow, world.tokens, world.clock)(principal, LogoutCommand())
    stale = authenticate.prepare(access(started))
    assert stale.cached_caller is not None
    with pytest.raises(AuthenticationFailed):
        await authenticate.complete(stale, EpochRead("e2"))
    assert authenticate.prepare(access(started)).cached_caller is None
