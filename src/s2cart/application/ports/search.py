"""Repository of search history entries."""

from __future__ import annotations

from typing import Protocol

from s2cart.application.search.views import SearchEntryView
from s2cart.domain.search.history import SearchEntry
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest


class SearchHistoryRepository(Protocol):
    async def latest(self, user_id: int) -> SearchEntry | None:
        """The user's newest entry; the user's history stays locked until the transaction ends, so the
        repeat check and the cap cannot be outrun by parallel requests."""
        ...

    async def add(self, entry: SearchEntry) -> None: ...

    async def count(self, user_id: int) -> int: ...

    async def drop_oldest(self, user_id: int, how_many: int) -> None: ...

    async def clear(self, user_id: int) -> int: ...


class SearchHistoryReader(Protocol):
    async def page(
        self, user_id: int, request: PageRequest, ordering: Ordering, category: str | None
    ) -> Page[SearchEntryView]:
        """Ties in ``ordering`` are broken by id, newest first."""
        ...

    async def all(self, user_id: int) -> list[SearchEntryView]:
        """Every entry of the user, newest first."""
        ...
