"""Search history on the wire: the contract's entry, and its grouped summary."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from s2cart.application.search.views import SearchEntryView, SearchGroupView
from s2cart.domain.search.history import SearchEntry
from s2cart.entrypoints.http.wire import wire_time


class SearchIn(msgspec.Struct, kw_only=True):
    query: Annotated[str, msgspec.Meta(max_length=255, description="1-255 characters once trimmed")]
    category: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    results_count: Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)] = 0


class SearchOut(msgspec.Struct, kw_only=True):
    id: int
    query: str
    category: str | None
    results_count: int
    searched_at: datetime


class RecentSearchOut(msgspec.Struct, kw_only=True):
    query: str
    searched_at: datetime


class SearchGroupOut(msgspec.Struct, kw_only=True):
    id: int
    search_count: int
    created_at: datetime | None
    updated_at: datetime | None
    recent_searches: list[RecentSearchOut]
    searches: list[SearchOut]


def search_out(entry: SearchEntry | SearchEntryView) -> SearchOut:
    assert entry.id is not None
    return SearchOut(
        id=entry.id,
        query=entry.query,
        category=entry.category,
        results_count=entry.results_count,
        searched_at=wire_time(entry.searched_at),  # type: ignore[arg-type]
    )


def group_out(group: SearchGroupView) -> SearchGroupOut:
    return SearchGroupOut(
        id=group.user_id,
        search_count=group.search_count,
        created_at=wire_time(group.created_at),
        updated_at=wire_time(group.updated_at),
        recent_searches=[
            RecentSearchOut(query=s.query, searched_at=wire_time(s.searched_at))  # type: ignore[arg-type]
            for s in group.recent_searches
        ],
        searches=[search_out(s) for s in group.searches],
    )
