"""MeasureOutboxBacklog: how many side effects wait for delivery (a metric, read at scrape time)."""

from __future__ import annotations

from s2cart.application.ports.uow import UnitOfWorkFactory


class MeasureOutboxBacklog:
    """Count undelivered outbox messages.

    - Read-only: the unit of work is left without a commit.
    - Every worker sees the same number, so any one of them may answer a scrape.
    """

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self) -> int:
        async with self._uow() as uow:
            return await uow.outbox.count_pending()
