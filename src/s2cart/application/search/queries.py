"""Reading search history: the filtered list and the grouped summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from s2cart.domain.search import rules
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.pagination import MAX_PAGE_SIZE, Ordering, Page, PageRequest

SEARCH_ORDERINGS = ("searched_at", "query", "results_count", "id")
DEFAULT_SEARCH_ORDERING = "-searched_at"
RECENT_SEARCHES = 10


@dataclass(frozen=True)
class SearchEntryView:
    id: int
    query: str
    category: str | None
    results_count: int
    searched_at: datetime


@dataclass(frozen=True)
class SearchGroupView:
    """The whole history at once (the cap keeps it at most 500 entries), newest first."""

    user_id: int
    searches: list[SearchEntryView] = field(default_factory=list)

    @property
    def search_count(self) -> int:
        return len(self.searches)

    @property
    def created_at(self) -> datetime | None:
        return min((s.searched_at for s in self.searches), default=None)

    @property
    def updated_at(self) -> datetime | None:
        return max((s.searched_at for s in self.searches), default=None)

    @property
    def recent_searches(self) -> list[SearchEntryView]:
        return self.searches[:RECENT_SEARCHES]


class SearchHistoryReader(Protocol):
    async def page(
        self, user_id: int, request: PageRequest, ordering: Ordering, category: str | None
    ) -> Page[SearchEntryView]:
        """Ties in ``ordering`` are broken by id, newest first."""
        ...

    async def all(self, user_id: int) -> list[SearchEntryView]:
        """Every entry of the user, newest first."""
        ...


@dataclass(frozen=True)
class SearchHistoryQuery:
    category: str | None = None
    limit: int | None = None
    ordering: str | None = None


class ListSearchHistory:
    """- ``limit`` (1-100, default 20) is this list's page size, and wins over ``page_size`` when both come.
    - ``category`` filters on the exact category (trimmed); a blank one filters nothing.
    - Newest first unless ``ordering`` says otherwise."""

    def __init__(self, reader: SearchHistoryReader) -> None:
        self._reader = reader

    async def __call__(self, user_id: int, request: PageRequest, query: SearchHistoryQuery) -> Page[SearchEntryView]:
        if query.limit is not None:
            if not 1 <= query.limit <= MAX_PAGE_SIZE:
                raise ValidationFailed.on("limit", f"Limit must be an integer from 1 to {MAX_PAGE_SIZE}.")
            request = PageRequest(page=request.page, page_size=query.limit)
        order = Ordering.parse(query.ordering, SEARCH_ORDERINGS, DEFAULT_SEARCH_ORDERING)
        category = rules.category_of(query.category)
        return await self._reader.page(user_id, request, order, category)


class GetSearchHistoryGroup:
    def __init__(self, reader: SearchHistoryReader) -> None:
        self._reader = reader

    async def __call__(self, user_id: int) -> SearchGroupView:
        return SearchGroupView(user_id=user_id, searches=await self._reader.all(user_id))
