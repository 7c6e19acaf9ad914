"""The transactional outbox: side effects (mail, events) recorded in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Mapping
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
