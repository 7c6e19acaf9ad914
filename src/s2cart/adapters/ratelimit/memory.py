"""Per-process limits on the ``limits`` library (moving window, in memory): no I/O at all.

The library (with ``deprecated``, ``wrapt`` and ``packaging``, ~5 MiB a worker) is imported on the first count,
not at start-up (decision 0049): beside Redis this limiter is only the fallback for an outage, which most workers
never see; the first count after one pays the import once (tens of milliseconds).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from s2cart.application.ports.ratelimit import EPOCH_UNREAD, EpochRead, LimitCheck, LimitState, RateDecision


class MemoryRateLimiter:
    def __init__(self) -> None:
        self._limiter: Any = None
        self._item: Any = None

    def _started(self) -> Any:
        if self._limiter is None:
            from limits import RateLimitItemPerSecond
            from limits.aio.storage import MemoryStorage
            from limits.aio.strategies import MovingWindowRateLimiter

            self._item = RateLimitItemPerSecond
            self._limiter = MovingWindowRateLimiter(MemoryStorage())
        return self._limiter

    async def hit(self, checks: Sequence[LimitCheck]) -> RateDecision:
        limiter = self._started()
        items = [(self._item(c.limit.amount, c.limit.seconds), c) for c in checks]
        refused = [c for item, c in items if not await limiter.test(item, c.key)]
        if not refused:
            for item, check in items:
                await limiter.hit(item, check.key)
        now = time.time()
        states = []
        for item, check in items:
            stats = await limiter.get_window_stats(item, check.key)
            used = check.limit.amount - stats.remaining + (1 if check in refused else 0)
            states.append(LimitState(check, used, max(0.0, stats.reset_time - now)))
        return RateDecision(allowed=not refused, states=states)

    async def hit_in_epoch(
        self, checks: Sequence[LimitCheck], expected: str
    ) -> tuple[RateDecision | None, EpochRead | None]:
        return await self.hit(checks), EPOCH_UNREAD  # one process's memory knows no shared epoch
