"""What the reconciler has left undone, counted from the database (read at scrape time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class PaymentBacklog:
    pending_past_expiry: int  # still PENDING after the 20-minute horizon, where S2Cart gives up
    checks_overdue: int  # watched attempts whose planned status check is late


class PaymentBacklogReader(Protocol):
    async def backlog(self, now: datetime, expired_before: datetime, overdue_before: datetime) -> PaymentBacklog:
        """PENDING attempts created at or before ``expired_before``; watched attempts whose next check was
        due at or before ``overdue_before``."""
        ...
