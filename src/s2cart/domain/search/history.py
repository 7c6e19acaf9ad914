"""Search history: what a customer searched for, kept short and free of repeats."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(eq=False)
class SearchEntry:
    user_id: int
    query: str
    category: str | None
    results_count: int
    searched_at: datetime
    id: int | None = field(default=None)

    def repeated(self, results_count: int, now: datetime) -> None:
        """The same search again: it moves to now and keeps the newest result count."""
        self.results_count = results_count
        self.searched_at = now


@dataclass(frozen=True)
class SearchHistoryPolicy:
    """- Repeating the latest search (same query, ignoring case, and same category) within ``repeat_window``
      refreshes that entry instead of adding a row: a client re-sending a search is not a new one.
    - Each user keeps at most ``max_entries``; the oldest go first, so no user can grow the table without bound.
    """

    repeat_window: timedelta = timedelta(minutes=1)
    max_entries: int = 500

    def is_repeat(self, latest: SearchEntry | None, query: str, category: str | None, now: datetime) -> bool:
        if latest is None:
            return False
        same = latest.query.casefold() == query.casefold() and latest.category == category
        return same and timedelta(0) <= now - latest.searched_at < self.repeat_window

    def excess(self, count: int) -> int:
        """How many of the oldest entries to drop when the user holds ``count``."""
        return max(0, count - self.max_entries)
