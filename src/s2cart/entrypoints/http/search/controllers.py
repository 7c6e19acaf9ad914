from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from s2cart.application.auth.principal import Principal
from s2cart.application.projection import view_of
from s2cart.application.search.clear_search_history import ClearSearchHistory
from s2cart.application.search.queries import (
    SEARCH_ORDERINGS,
    GetSearchHistoryGroup,
    ListSearchHistory,
    SearchHistoryQuery,
)
from s2cart.application.search.record_search import RecordSearch, RecordSearchCommand
from s2cart.application.search.views import SearchEntryView
from s2cart.domain.shared.pagination import PageRequest
from s2cart.entrypoints.http.answers import errors
from s2cart.entrypoints.http.envelope import Done, Paginated, Success, done, success
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.limits import HOUR, MINUTE, limit
from s2cart.entrypoints.http.pagination import paginated
from s2cart.entrypoints.http.principal import SECURITY
from s2cart.entrypoints.http.search.schemas import SearchGroupOut, SearchIn, group_out

Category = Annotated[str | None, QueryParameter(description="only entries of this category (exact match)")]
Limit = Annotated[int | None, QueryParameter(description="entries per page, 1-100 (default 20; wins over page_size)")]
Ordering = Annotated[
    str | None,
    QueryParameter(description=f"{', '.join(SEARCH_ORDERINGS)}; '-' for descending (default: -searched_at)"),
]


class SearchHistoryController(Controller):
    tags = ["Search history"]
    security = SECURITY

    @get("/search-history/", summary="The caller's searches, newest first", opt=errors())
    async def list_history(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        page_request: NamedDependency[PageRequest],
        list_search_history: Inject[ListSearchHistory],
        category: Category = None,
        limit: Limit = None,
        ordering: Ordering = None,
    ) -> Paginated[SearchEntryView]:
        """The caller's recorded searches, newest first; paginated."""
        query = SearchHistoryQuery(category=category, limit=limit, ordering=ordering)
        page = await list_search_history(principal.user_id, page_request, query)
        return paginated(request, page, "Search history retrieved successfully")

    @post(
        "/search-history/",
        status_code=201,
        summary="Record a search (a repeat within a minute is merged)",
        opt=limit(100, MINUTE, "search", "user") | errors(),
    )
    async def record(
        self,
        data: JSONBody[SearchIn],
        principal: NamedDependency[Principal],
        record_search: Inject[RecordSearch],
    ) -> Success[SearchEntryView]:
        """Record a search the caller made (text, filters, result count); the same search within a minute is merged
        into the earlier one. Blank or overlong text is 400 VAL_001.
        """
        command = RecordSearchCommand(query=data.query, category=data.category, results_count=data.results_count)
        entry = await record_search(principal.user_id, command)
        return success(view_of(SearchEntryView, entry), "Search query added to history", code=201)

    @delete(
        "/search-history/clear/",
        status_code=200,
        summary="Forget every search",
        opt=limit(10, HOUR, "search", "user") | errors(),
    )
    async def clear(
        self, principal: NamedDependency[Principal], clear_search_history: Inject[ClearSearchHistory]
    ) -> Done:
        """Forget every search of the caller."""
        await clear_search_history(principal.user_id)
        return done("Search history cleared successfully")

    @get(
        "/search-history-group/", summary="The whole history with counts and the 10 most recent searches", opt=errors()
    )
    async def group(
        self, principal: NamedDependency[Principal], search_history_group: Inject[GetSearchHistoryGroup]
    ) -> Success[SearchGroupOut]:
        """The caller's searches grouped by text, with counts, and the ten most recent."""
        group = await search_history_group(principal.user_id)
        return success(group_out(group), "Search history group retrieved successfully")
