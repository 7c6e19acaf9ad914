"""Address use cases over hand-written fakes: what is stored after each call, and what is not."""

from __future__ import annotations

from typing import Any

import pytest

from s2cart.application.addresses.add_address import AddAddress
from s2cart.application.addresses.delete_address import DeleteAddress
from s2cart.application.addresses.set_default_address import SetDefaultAddress
from s2cart.application.addresses.update_address import UpdateAddress
from s2cart.domain.addresses.errors import AddressLimitExceeded, AddressNotFound
from s2cart.domain.shared.errors import ValidationFailed
from tests.fakes import FakeClock, FakeCustomerUnitOfWork

ALICE, BOB = 1, 2
HOME: dict[str, Any] = {
    "contact_name": "John Doe",
    "street_address": "123 Main Street",
    "city": "Mumbai",
    "state": "Maharashtra",
    "pin_code": "400001",
    "phone_number": "9876543210",
}


@pytest.fixture
def uow() -> FakeCustomerUnitOfWork:
    return FakeCustomerUnitOfWork()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _stored(uow: FakeCustomerUnitOfWork, user_id: int) -> dict[int | None, bool]:
    book = uow.addresses.books.get(user_id)
    return {a.id: a.is_default for a in book.addresses} if book else {}


async def test_adding_stores_the_address_and_the_first_is_the_default(
    uow: FakeCustomerUnitOfWork, clock: FakeClock
) -> None:
    add = AddAddress(uow, clock)
    first = await add(ALICE, HOME)
    second = await add(ALICE, {**HOME, "city": "Pune", "is_default": True})  # the flag is not an input
    assert (first.phone_number, first.created_at, first.user_id) == ("+919876543210", clock.now(), ALICE)
    assert _stored(uow, ALICE) == {first.id: True, second.id: False}
    assert uow.committed


async def test_invalid_input_stores_nothing(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await AddAddress(uow, clock)(ALICE, {**HOME, "pin_code": "012345", "city": ""})
    assert set(caught.value.errors) == {"pin_code", "city"}
    assert _stored(uow, ALICE) == {}


async def test_the_configured_limit_holds(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    add = AddAddress(uow, clock, max_addresses=2)
    await add(ALICE, HOME)
    await add(ALICE, HOME)
    with pytest.raises(AddressLimitExceeded):
        await add(ALICE, HOME)
    assert len(_stored(uow, ALICE)) == 2
    await add(BOB, HOME)  # the limit is per user
    assert len(_stored(uow, BOB)) == 1


async def test_set_default_and_delete_keep_one_default(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    add = AddAddress(uow, clock)
    a, b, c = [await add(ALICE, HOME) for _ in range(3)]
    await SetDefaultAddress(uow, clock)(ALICE, c.id or 0)
    assert _stored(uow, ALICE) == {a.id: False, b.id: False, c.id: True}
    clock.advance(minutes=1)
    await UpdateAddress(uow, clock)(ALICE, a.id or 0, {"landmark": "Gate 2"})
    clock.advance(minutes=1)
    await DeleteAddress(uow, clock)(ALICE, c.id or 0)
    assert _stored(uow, ALICE) == {a.id: True, b.id: False}  # a was updated most recently


@pytest.mark.parametrize("address_id", [0, -1, 2**31, 99])
async def test_unknown_and_other_users_ids_are_not_found_and_change_nothing(
    uow: FakeCustomerUnitOfWork, clock: FakeClock, address_id: int
) -> None:
    mine = await AddAddress(uow, clock)(ALICE, HOME)
    theirs = await AddAddress(uow, clock)(BOB, HOME)
    for target in (address_id, mine.id or 0):
        with pytest.raises(AddressNotFound):
            await UpdateAddress(uow, clock)(BOB, target, {"city": "Pune"})
        with pytest.raises(AddressNotFound):
            await DeleteAddress(uow, clock)(BOB, target)
        with pytest.raises(AddressNotFound):
            await SetDefaultAddress(uow, clock)(BOB, target)
    assert _stored(uow, ALICE) == {mine.id: True}
    assert _stored(uow, BOB) == {theirs.id: True}
    assert uow.addresses.books[ALICE].addresses[0].city == "Mumbai"


async def test_a_bad_update_changes_nothing(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    address = await AddAddress(uow, clock)(ALICE, HOME)
    with pytest.raises(ValidationFailed):
        await UpdateAddress(uow, clock)(ALICE, address.id or 0, {"city": "Pune", "phone_number": "123"})
    with pytest.raises(ValidationFailed):
        await UpdateAddress(uow, clock)(ALICE, address.id or 0, {"city": "Pune", "latitude": 19})
    assert uow.addresses.books[ALICE].addresses[0].city == "Mumbai"


async def test_an_order_can_snapshot_an_owned_address(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    address = await AddAddress(uow, clock)(ALICE, HOME)
    owned = await uow.addresses.owned(ALICE, address.id or 0)
    assert owned is not None
    assert owned.snapshot()["full_address"] == "123 Main Street, Mumbai, Maharashtra 400001, India"
    assert await uow.addresses.owned(BOB, address.id or 0) is None
