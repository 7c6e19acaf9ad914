"""Search history on the wire: the contract's entry, and its grouped summary."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from s2cart.application.search.views import SearchEntryView, SearchGroupView
from s2cart.domain.search.rules import CATEGORY_MAX, QUERY_MAX, RESULTS_MAX


class SearchIn(msgspec.Struct, kw_only=True):
    query: Annotated[str, msgspec.Meta(max_length=QUERY_MAX, description=f"1-{QUERY_MAX} characters once trimmed")]
    category: Annotated[str, msgspec.Meta(max_length=CATEGORY_MAX)] | None = None
    results_count: Annotated[int, msgspec.Meta(ge=0, le=RESULTS_MAX)] = 0


class RecentSearchOut(msgspec.Struct, kw_only=True):
    query: str
    searched_at: datetime


class SearchGroupOut(msgspec.Struct, kw_only=True):
    id: int
    search_count: int
    created_at: datetime | None
    updated_at: datetime | None
    recent_searches: list[RecentSearchOut]
    searches: list[SearchEntryView]


def group_out(group: SearchGroupView) -> SearchGroupOut:
    return SearchGroupOut(
        id=group.user_id,
        search_count=group.search_count,
        created_at=group.created_at,
        updated_at=group.updated_at,
        recent_searches=[RecentSearchOut(query=s.query, searched_at=s.searched_at) for s in group.recent_searches],
        searches=list(group.searches),
    )
