"""The search history rules: repeats within a minute, the cap, the input, with no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.search import rules
from s2cart.domain.search.history import SearchEntry, SearchHistoryPolicy
from s2cart.domain.shared.errors import ValidationFailed

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
POLICY = SearchHistoryPolicy()


def _latest(query: str = "Wireless Headphones", category: str | None = "electronics", age: float = 0) -> SearchEntry:
    return SearchEntry(1, query, category, 25, NOW - timedelta(seconds=age), id=1)


@given(st.floats(min_value=0, max_value=59.999))
def test_the_same_search_within_a_minute_is_a_repeat(age: float) -> None:
    assert POLICY.is_repeat(_latest(age=age), "wireless HEADPHONES", "electronics", NOW)


@pytest.mark.parametrize(
    ("latest", "query", "category"),
    [
        (None, "wireless headphones", "electronics"),
        (_latest(age=60), "wireless headphones", "electronics"),
        (_latest(age=3600), "wireless headphones", "electronics"),
        (_latest(), "wireless headphone", "electronics"),
        (_latest(), "wireless headphones", "audio"),
        (_latest(), "wireless headphones", None),
        (_latest(age=-5), "wireless headphones", "electronics"),  # from the future: not to be trusted
    ],
)
def test_anything_else_is_a_new_search(latest: SearchEntry | None, query: str, category: str | None) -> None:
    assert not POLICY.is_repeat(latest, query, category, NOW)


def test_a_repeat_moves_the_entry_and_keeps_the_newest_count() -> None:
    entry = _latest(age=30)
    entry.repeated(40, NOW)
    assert (entry.searched_at, entry.results_count, entry.id) == (NOW, 40, 1)


@given(st.integers(min_value=0, max_value=2000))
def test_the_cap_drops_only_what_is_over_500(count: int) -> None:
    excess = POLICY.excess(count)
    assert excess == max(0, count - 500)
    assert count - excess <= 500


def test_queries_are_trimmed_and_limited() -> None:
    assert rules.query_of("  smartphone \t cases ") == "smartphone cases"
    assert rules.query_of("x" * 255) == "x" * 255
    for raw in ("", "   ", "x" * 256, "null\x00byte"):
        with pytest.raises(ValidationFailed) as caught:
            rules.query_of(raw)
        assert "query" in caught.value.errors


def test_category_is_optional_and_limited() -> None:
    assert rules.category_of(None) is None
    assert rules.category_of("  ") is None
    assert rules.category_of(" electronics ") == "electronics"
    with pytest.raises(ValidationFailed):
        rules.category_of("c" * 101)


def test_results_count_is_never_negative() -> None:
    assert rules.results_count_of(0) == 0
    with pytest.raises(ValidationFailed) as caught:
        rules.results_count_of(-1)
    assert "results_count" in caught.value.errors
