"""Per-process limits on the ``limits`` library (moving window, in memory): no I/O at all."""

from __future__ import annotations

import time
from collections.abc import Sequence

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from s2cart.application.ports.ratelimit import EPOCH_UNREAD, EpochRead, LimitCheck, LimitState, RateDecision


class MemoryRateLimiter:
    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    async def hit(self, checks: Sequence[LimitCheck]) -> RateDecision:
        items = [(RateLimitItemPerSecond(c.limit.amount, c.limit.seconds), c) for c in checks]
        refused = [c for item, c in items if not await self._limiter.test(item, c.key)]
        if not refused:
            for item, check in items:
                await self._limiter.hit(item, check.key)
        now = time.time()
        states = []
        for item, check in items:
            stats = await self._limiter.get_window_stats(item, check.key)
            used = check.limit.amount - stats.remaining + (1 if check in refused else 0)
            states.append(LimitState(check, used, max(0.0, stats.reset_time - now)))
        return RateDecision(allowed=not refused, states=states)

    async def hit_in_epoch(
        self, checks: Sequence[LimitCheck], expected: str
    ) -> tuple[RateDecision | None, EpochRead | None]:
        return await self.hit(checks), EPOCH_UNREAD  # one process's memory knows no shared epoch
