"""RecordSearch and ClearSearchHistory over hand-written fakes."""

from __future__ import annotations

import pytest

from s2cart.application.search.clear_search_history import ClearSearchHistory
from s2cart.application.search.record_search import RecordSearch, RecordSearchCommand
from s2cart.domain.search.history import SearchEntry, SearchHistoryPolicy
from s2cart.domain.shared.errors import ValidationFailed
from tests.fakes import FakeClock, FakeCustomerUnitOfWork

ALICE, BOB = 1, 2


@pytest.fixture
def uow() -> FakeCustomerUnitOfWork:
    return FakeCustomerUnitOfWork()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _queries(uow: FakeCustomerUnitOfWork, user_id: int) -> list[str]:
    return [e.query for e in uow.search_history.of(user_id)]


async def test_a_repeat_within_a_minute_refreshes_the_latest_entry(
    uow: FakeCustomerUnitOfWork, clock: FakeClock
) -> None:
    record = RecordSearch(uow, clock, SearchHistoryPolicy())
    first = await record(ALICE, RecordSearchCommand("Wireless Headphones", "electronics", 25))
    clock.advance(seconds=45)
    again = await record(ALICE, RecordSearchCommand(" wireless  headphones ", "electronics", 30))
    assert again.id == first.id
    [stored] = uow.search_history.of(ALICE)
    assert (stored.results_count, stored.searched_at, stored.query) == (30, clock.now(), "Wireless Headphones")
    clock.advance(seconds=61)
    later = await record(ALICE, RecordSearchCommand("wireless headphones", "electronics", 30))
    assert later.id != first.id
    assert len(uow.search_history.of(ALICE)) == 2


async def test_the_oldest_entries_go_past_the_cap(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    record = RecordSearch(uow, clock, SearchHistoryPolicy(max_entries=3))
    for n in range(5):
        await record(ALICE, RecordSearchCommand(f"query {n}"))
        clock.advance(seconds=1)
    await record(BOB, RecordSearchCommand("bob's"))
    assert _queries(uow, ALICE) == ["query 4", "query 3", "query 2"]
    assert _queries(uow, BOB) == ["bob's"]


async def test_invalid_input_records_nothing(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    record = RecordSearch(uow, clock, SearchHistoryPolicy())
    with pytest.raises(ValidationFailed) as caught:
        await record(ALICE, RecordSearchCommand("   ", "c" * 101, -3))
    assert set(caught.value.errors) == {"query", "category", "results_count"}
    assert uow.search_history.entries == []


async def test_a_failure_after_the_insert_keeps_nothing(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    class Broken(SearchHistoryPolicy):
        def excess(self, count: int) -> int:
            raise RuntimeError("storage hiccup")

    with pytest.raises(RuntimeError):
        await RecordSearch(uow, clock, Broken())(ALICE, RecordSearchCommand("laptop"))
    assert uow.search_history.entries == []


async def test_clear_forgets_only_the_callers_entries(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    uow.search_history.entries = [
        SearchEntry(ALICE, "a", None, 0, clock.now(), id=1),
        SearchEntry(BOB, "b", None, 0, clock.now(), id=2),
        SearchEntry(ALICE, "c", None, 0, clock.now(), id=3),
    ]
    assert await ClearSearchHistory(uow)(ALICE) == 2
    assert _queries(uow, ALICE) == [] and _queries(uow, BOB) == ["b"]
