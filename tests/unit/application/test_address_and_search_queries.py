"""ListAddresses, GetDefaultAddress, ListSearchHistory and GetSearchHistoryGroup over fake readers: the
orderings allowed, the default first, the limit and category rules, each user's own rows only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from s2cart.application.addresses.add_address import AddAddress
from s2cart.application.addresses.queries import GetDefaultAddress, ListAddresses
from s2cart.application.addresses.set_default_address import SetDefaultAddress
from s2cart.application.search.queries import GetSearchHistoryGroup, ListSearchHistory, SearchHistoryQuery
from s2cart.application.search.record_search import RecordSearch, RecordSearchCommand
from s2cart.domain.addresses.errors import AddressNotFound
from s2cart.domain.search.history import SearchHistoryPolicy
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.pagination import PageRequest
from tests.fakes import FakeClock, FakeCustomerUnitOfWork
from tests.reader_fakes import FakeAddressReader, FakeSearchReader

ALICE, BOB = 1, 2


def _address(name: str, city: str) -> dict[str, str]:
    return {
        "contact_name": name,
        "street_address": "1 Main Street",
        "city": city,
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


async def test_addresses_list_the_default_first_then_the_newest(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    add = AddAddress(uow, clock)
    ids = []
    for name, city in (("Asha", "Pune"), ("Bela", "Agra"), ("Chitra", "Delhi")):
        ids.append((await add(ALICE, _address(name, city))).id)
        clock.advance(minutes=1)
    await add(BOB, _address("Bob", "Goa"))
    await SetDefaultAddress(uow, clock)(ALICE, ids[1])
    listing = ListAddresses(FakeAddressReader(uow.addresses))

    page = await listing(ALICE, PageRequest(page_size=2))
    assert ([a.id for a in page.items], page.total_count, page.has_next) == ([ids[1], ids[2]], 3, True)
    by_city = await listing(ALICE, PageRequest(), "city")
    assert [a.city for a in by_city.items] == ["Agra", "Delhi", "Pune"]
    with pytest.raises(ValidationFailed):
        await listing(ALICE, PageRequest(), "phone_number")
    assert (await GetDefaultAddress(FakeAddressReader(uow.addresses))(ALICE)).id == ids[1]


async def test_no_default_address_is_not_found(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    with pytest.raises(AddressNotFound):
        await GetDefaultAddress(FakeAddressReader(uow.addresses))(BOB)


async def _searches(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    record = RecordSearch(uow, clock, SearchHistoryPolicy())
    for query, category in (("phone", "electronics"), ("rice", "grocery"), ("cable", "electronics"), ("dal", None)):
        await record(ALICE, RecordSearchCommand(query, category, 5))
        clock.advance(minutes=2)
    await record(BOB, RecordSearchCommand("bobs", "electronics", 1))


async def test_search_history_is_newest_first_filtered_by_exact_category(
    uow: FakeCustomerUnitOfWork, clock: FakeClock
) -> None:
    await _searches(uow, clock)
    history = ListSearchHistory(FakeSearchReader(uow.search_history))

    everything = await history(ALICE, PageRequest(), SearchHistoryQuery())
    assert [v.query for v in everything.items] == ["dal", "cable", "rice", "phone"]
    electronics = await history(ALICE, PageRequest(), SearchHistoryQuery(category=" electronics "))
    assert [v.query for v in electronics.items] == ["cable", "phone"]
    blank = await history(ALICE, PageRequest(), SearchHistoryQuery(category="  "))
    assert blank.total_count == 4
    by_query = await history(ALICE, PageRequest(), SearchHistoryQuery(ordering="query"))
    assert [v.query for v in by_query.items] == ["cable", "dal", "phone", "rice"]


async def test_limit_is_the_page_size_and_wins_over_page_size(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    await _searches(uow, clock)
    history = ListSearchHistory(FakeSearchReader(uow.search_history))

    page = await history(ALICE, PageRequest(page=2, page_size=50), SearchHistoryQuery(limit=3))
    assert ([v.query for v in page.items], page.request.page_size, page.total_pages) == (["phone"], 3, 2)
    for bad in (0, 101):
        with pytest.raises(ValidationFailed):
            await history(ALICE, PageRequest(), SearchHistoryQuery(limit=bad))
    with pytest.raises(ValidationFailed):
        await history(ALICE, PageRequest(), SearchHistoryQuery(ordering="user_id"))


async def test_the_group_is_the_whole_history_with_its_span(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    start = clock.now()
    await _searches(uow, clock)

    group = await GetSearchHistoryGroup(FakeSearchReader(uow.search_history))(ALICE)

    assert (group.search_count, group.created_at, group.updated_at) == (4, start, start + timedelta(minutes=6))
    assert [v.query for v in group.recent_searches] == ["dal", "cable", "rice", "phone"]
    assert (await GetSearchHistoryGroup(FakeSearchReader(uow.search_history))(3)).search_count == 0
