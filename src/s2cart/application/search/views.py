"""What the search history pages read: entries, and the whole history grouped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
