"""RecordSearch: add a query to the caller's search history."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.search import rules
from s2cart.domain.search.history import SearchEntry, SearchHistoryPolicy
from s2cart.domain.shared.errors import ErrorCollector


@dataclass(frozen=True)
class RecordSearchCommand:
    query: str
    category: str | None = None
    results_count: int = 0


class RecordSearch:
    """- ``query`` 1-255 characters once trimmed, ``category`` optional, ``results_count`` 0 or more; all
      problems are reported at once.
    - Repeating the latest search within a minute refreshes that entry (time and result count), no new row.
    - At most 500 entries per user: the oldest are dropped in the same transaction as the insert.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, policy: SearchHistoryPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, user_id: int, cmd: RecordSearchCommand) -> SearchEntry:
        found = ErrorCollector()
        query = found.check(lambda: rules.query_of(cmd.query))
        category = found.check(lambda: rules.category_of(cmd.category))
        results_count = found.check(lambda: rules.results_count_of(cmd.results_count))
        found.raise_if_any()
        assert query is not None and results_count is not None
        now = self._clock.now()
        async with self._uow() as uow:
            history = uow.search_history
            latest = await history.latest(user_id)
            if latest is not None and self._policy.is_repeat(latest, query, category, now):
                latest.repeated(results_count, now)
                entry = latest
            else:
                entry = SearchEntry(user_id, query, category, results_count, now)
                await history.add(entry)
                excess = self._policy.excess(await history.count(user_id))
                if excess:
                    await history.drop_oldest(user_id, excess)
            await uow.commit()
        return entry
