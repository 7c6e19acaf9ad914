"""Reading search history: the filtered list and the grouped summary."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.ports.search import SearchHistoryReader
from s2cart.application.search.views import SearchEntryView, SearchGroupView
from s2cart.domain.search import rules
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.pagination import MAX_PAGE_SIZE, Ordering, Page, PageRequest

SEARCH_ORDERINGS = ("searched_at", "query", "results_count", "id")
DEFAULT_SEARCH_ORDERING = "-searched_at"


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
