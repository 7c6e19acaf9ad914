from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.pagination import MAX_PAGE, MAX_PAGE_SIZE, Ordering, Page, PageRequest


@given(
    page=st.integers(min_value=1, max_value=MAX_PAGE),
    page_size=st.integers(min_value=1, max_value=MAX_PAGE_SIZE),
    total=st.integers(min_value=0, max_value=10**7),
)
def test_page_math_is_consistent(page: int, page_size: int, total: int) -> None:
    result = Page(items=[], total_count=total, request=PageRequest(page, page_size))
    assert result.total_pages == max(1, math.ceil(total / page_size))
    assert result.has_previous == (page > 1)
    assert result.has_next == (page * page_size < total)
    assert PageRequest(page, page_size).offset == (page - 1) * page_size


@pytest.mark.parametrize(
    ("page", "page_size", "field"),
    [(0, 20, "page"), (-1, 20, "page"), (10**12, 20, "page"), (1, 0, "page_size"), (1, 101, "page_size")],
)
def test_out_of_range_is_rejected_with_the_field_named(page: int, page_size: int, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        PageRequest(page, page_size)
    assert field in caught.value.errors


def test_empty_list_has_one_empty_page() -> None:
    page = Page(items=[], total_count=0, request=PageRequest())
    assert (page.total_pages, page.has_next, page.has_previous) == (1, False, False)


def test_ordering_accepts_allowed_fields_in_both_directions() -> None:
    assert Ordering.parse("-order_date", ["order_date", "total_amount"], "order_date") == Ordering("order_date", True)
    assert Ordering.parse(None, ["order_date"], "-order_date") == Ordering("order_date", True)
    assert str(Ordering.parse("total_amount", ["total_amount"], "total_amount")) == "total_amount"


@given(st.text(min_size=1).filter(lambda s: s.strip().lstrip("-") not in {"id", "name"}))
def test_ordering_outside_the_allow_list_is_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        Ordering.parse(raw, ["id", "name"], "id")
    assert "ordering" in caught.value.errors
