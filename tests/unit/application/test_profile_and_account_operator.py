"""GetProfile, UpdateProfile and the operator's account commands (FindUser, UnlockUser, SetUserTier, RevokeUserSessions,
CleanupSessions) with the fakes."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from s2cart.application.accounts.operator_commands import (
    CleanupSessions,
    FindUser,
    RevokeUserSessions,
    SetUserTier,
    UnlockUser,
)
from s2cart.application.accounts.profile import GetProfile, ProfileChanges, UpdateProfile
from s2cart.application.auth.session_starter import SessionStarter, StartedSession
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.domain.addresses.address import AddressFields
from s2cart.domain.addresses.address_book import AddressBook
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store
from s2cart.domain.sessions.session import AuthScheme, Device, DeviceType, SessionPolicy
from s2cart.domain.shared.errors import NotFound, ValidationFailed
from s2cart.domain.users.user import Tier
from tests.auth_fakes import AuthUnitOfWork, FakeTokens, a_user, fake_digest
from tests.fakes import FakeAddressBooks, FakeClock
from tests.reader_fakes import FakeProfileReader

ALICE, BOB = 1, 2
POLICY = SessionPolicy()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def uow() -> AuthUnitOfWork:
    fake = AuthUnitOfWork()
    for user_id, name in ((ALICE, "alice"), (BOB, "bob")):
        fake.users.users[user_id] = replace(a_user(name), id=user_id, phone_number="9876543210")
    return fake


async def _start(uow: AuthUnitOfWork, clock: FakeClock, user_id: int, device_type: DeviceType) -> StartedSession:
    starter = SessionStarter(FakeTokens(clock, POLICY.access_ttl, POLICY.refresh_ttl), fake_digest, POLICY)
    device = Device(device_type, "d-1" if device_type is DeviceType.ANDROID else None, "UA", None, None)
    async with uow() as work:
        started = await starter.start(work, user_id, AuthScheme.JWT, device, clock.now())
        await work.commit()
    return started


async def test_update_profile_applies_the_sent_fields_and_clears_with_null(
    uow: AuthUnitOfWork, clock: FakeClock
) -> None:
    clock.advance(hours=1)
    values = {"first_name": " Alice ", "phone_number": None, "date_of_birth": date(1990, 5, 17), "gender": "FEMALE"}

    user = await UpdateProfile(uow, clock)(ALICE, ProfileChanges(values))

    stored = uow.users.users[ALICE]
    assert (stored.first_name, stored.phone_number, stored.date_of_birth, stored.gender, stored.updated_at) == (
        "Alice",
        None,
        date(1990, 5, 17),
        "FEMALE",
        clock.now(),
    )
    assert user is stored and stored.last_name == "" and stored.email == "alice@example.com"


async def test_update_profile_reports_every_bad_field_and_changes_nothing(
    uow: AuthUnitOfWork, clock: FakeClock
) -> None:
    before = asdict(uow.users.users[ALICE])  # User compares by identity
    values = {"first_name": "Alice", "phone_number": "12", "profile_image": "http://plain.test/a.png"}

    with pytest.raises(ValidationFailed) as refused:
        await UpdateProfile(uow, clock)(ALICE, ProfileChanges(values))

    assert set(refused.value.errors) == {"phone_number", "profile_image"}
    assert asdict(uow.users.users[ALICE]) == before


async def test_update_profile_of_an_unknown_user_is_not_found(uow: AuthUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(NotFound):
        await UpdateProfile(uow, clock)(99, ProfileChanges({"first_name": "X"}))


async def test_operator_finds_unlocks_and_sets_the_tier_by_email(uow: AuthUnitOfWork, clock: FakeClock) -> None:
    alice = uow.users.users[ALICE]
    alice.locked_until, alice.failed_login_attempts = clock.now() + timedelta(hours=1), 2

    assert (await FindUser(uow)(" ALICE@example.com ")).id == ALICE
    await UnlockUser(uow, clock)("alice@example.com")
    await SetUserTier(uow, clock)("alice@example.com", Tier.PREMIUM)

    alice = uow.users.users[ALICE]
    assert (alice.locked_until, alice.failed_login_attempts, alice.tier) == (None, 0, "premium")
    assert uow.users.users[BOB].tier == "standard"
    for command in (FindUser(uow), UnlockUser(uow, clock)):
        with pytest.raises(NotFound):
            await command("nobody@example.com")
    with pytest.raises(NotFound):
        await SetUserTier(uow, clock)("nobody@example.com", Tier.PREMIUM)


async def test_operator_revokes_a_users_sessions_all_or_one_device_type(uow: AuthUnitOfWork, clock: FakeClock) -> None:
    phone = await _start(uow, clock, ALICE, DeviceType.ANDROID)
    web = await _start(uow, clock, ALICE, DeviceType.WEB)
    bobs = await _start(uow, clock, BOB, DeviceType.WEB)
    revoke = RevokeUserSessions(uow, clock)

    assert await revoke("alice@example.com", "WEB") == 1
    assert uow.sessions.alive(clock.now()) == {phone.session.id, bobs.session.id}
    assert await revoke("alice@example.com") == 1
    assert uow.sessions.alive(clock.now()) == {bobs.session.id}
    assert uow.sessions.sessions[web.session.id].revoked_reason == "operator"
    with pytest.raises(NotFound):
        await revoke("nobody@example.com")


async def test_cleanup_deletes_only_expired_and_revoked_sessions(uow: AuthUnitOfWork, clock: FakeClock) -> None:
    revoked = await _start(uow, clock, ALICE, DeviceType.WEB)
    await RevokeUserSessions(uow, clock)("alice@example.com")
    clock.advance(days=20)
    live = await _start(uow, clock, BOB, DeviceType.WEB)
    expiring = await _start(uow, clock, ALICE, DeviceType.ANDROID)
    uow.sessions.sessions[expiring.session.id].expires_at = clock.now() + timedelta(seconds=1)
    clock.advance(seconds=1)

    assert await CleanupSessions(uow, clock)() == 2

    assert set(uow.sessions.sessions) == {live.session.id}
    assert revoked.session.id not in uow.sessions.sessions


async def test_get_profile_counts_live_sessions_and_carts_and_lists_the_default_address_first(
    uow: AuthUnitOfWork, clock: FakeClock
) -> None:
    addresses = FakeAddressBooks()
    reader = FakeProfileReader(uow.users, uow.sessions, uow.carts, addresses)
    await _start(uow, clock, ALICE, DeviceType.WEB)
    await _start(uow, clock, ALICE, DeviceType.ANDROID)
    await RevokeUserSessions(uow, clock)("alice@example.com", "WEB")
    uow.catalog.stores["store_123"] = Store("store_123", "SuperMart")
    uow.catalog.products[("store_123", "prod_001")] = Product("store_123", "prod_001", "Headphones", Decimal("500.00"))
    await AddItemToCart(uow, clock, 99)(ALICE, AddItemToCartCommand("store_123", "prod_001"))
    book = AddressBook(ALICE)
    for city in ("Pune", "Agra"):
        book.add(AddressFields("A", "1 Main Street", city, "Maharashtra", "400001", "9876543210"), clock.now())
    await addresses.save(book)

    view = await GetProfile(reader, clock)(ALICE)

    assert (view.user.id, view.active_sessions_count, view.total_carts_count, view.max_carts_allowed) == (
        ALICE,
        1,
        1,
        5,
    )
    assert [a.is_default for a in view.saved_addresses] == [True, False]
    with pytest.raises(NotFound):
        await GetProfile(reader, clock)(99)
