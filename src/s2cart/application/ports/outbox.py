"""The transactional outbox: side effects (mail, events) recorded in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass
class OutboxMessage:
    topic: str
    payload: Mapping[str, Any]
    created_at: datetime
    id: int | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    delivered_at: datetime | None = None
    last_error: str | None = field(default=None)


class OutboxRepository(Protocol):
    async def add(self, message: OutboxMessage) -> None: ...

    async def count_pending(self) -> int: ...

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int, ids: Sequence[int] | None = None
    ) -> list[OutboxMessage]:
        """Take due, undelivered messages for this worker by pushing their next attempt past the lease;
        a message another worker claimed first is skipped."""
        ...

    async def mark_delivered(self, message_id: int, now: datetime, scrubbed: Mapping[str, Any]) -> None: ...

    async def mark_failed(
        self, message_id: int, attempts: int, next_attempt_at: datetime | None, error: str
    ) -> None: ...
