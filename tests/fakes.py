"""Hand-written fakes for the application ports: state you can assert on, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self

from s2cart.application.ports.outbox import OutboxMessage
from s2cart.application.ports.system import CacheState


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 1, 20, 10, 30, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class FakeDatabaseProbe:
    def __init__(self, reachable: bool = True, hang: bool = False) -> None:
        self.reachable = reachable
        self.hang = hang
        self.calls = 0

    async def is_reachable(self) -> bool:
        import asyncio

        self.calls += 1
        if self.hang:
            await asyncio.sleep(3600)
        return self.reachable


class FakeCacheProbe:
    def __init__(self, state: CacheState = "operational") -> None:
        self._state: CacheState = state

    async def state(self) -> CacheState:
        return self._state


class FakeOutbox:
    def __init__(self) -> None:
        self.messages: list[OutboxMessage] = []

    async def add(self, message: OutboxMessage) -> None:
        message.id = len(self.messages) + 1
        self.messages.append(message)

    async def count_pending(self) -> int:
        return sum(1 for m in self.messages if m.delivered_at is None)


class FakeUnitOfWork:
    """Keeps what was committed; what was staged without commit is dropped on exit."""

    def __init__(self) -> None:
        self.outbox = FakeOutbox()
        self.committed = False
        self._snapshot: list[OutboxMessage] = []

    async def __aenter__(self) -> Self:
        self._snapshot = list(self.outbox.messages)
        self.committed = False
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.committed:
            self.outbox.messages = self._snapshot

    async def commit(self) -> None:
        self.committed = True
        self._snapshot = list(self.outbox.messages)

    async def rollback(self) -> None:
        self.outbox.messages = list(self._snapshot)
