"""MeasurePaymentBacklog: what the reconciler has not done yet, for /metrics (read at scrape time).

- Counted from the database, so any API worker answers and the numbers stay true when the reconciler
  (a process of its own) is down: that is exactly when they grow.
- Pending past expiry: PENDING attempts older than the 20-minute horizon; a running reconciler expires
  or settles each within one round.
- Checks overdue: watched attempts whose planned status check is more than ``OVERDUE_GRACE`` late; a
  running reconciler (every 15 to 60 s) keeps this at 0.
- Read-only: the reader leaves nothing to commit.
"""

from __future__ import annotations

from datetime import timedelta

from s2cart.application.ports.payment_backlog import PaymentBacklog, PaymentBacklogReader
from s2cart.application.ports.system import Clock
from s2cart.domain.payments.schedule import EXPIRY_WINDOW

OVERDUE_GRACE = timedelta(minutes=2)


class MeasurePaymentBacklog:
    def __init__(self, reader: PaymentBacklogReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def __call__(self) -> PaymentBacklog:
        now = self._clock.now()
        return await self._reader.backlog(now, now - EXPIRY_WINDOW, now - OVERDUE_GRACE)
