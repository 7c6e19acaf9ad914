"""Shared limits while Redis answers; per-process memory limits when it does not. Never a 500."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from s2cart.application.ports.ratelimit import EPOCH_UNREAD, EpochRead, LimitCheck, RateDecision, RateLimiter

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0


class FallbackRateLimiter:
    def __init__(self, primary: RateLimiter, fallback: RateLimiter) -> None:
        self._primary = primary
        self._fallback = fallback
        self._failed_at: float | None = None
        self._logged_at = 0.0

    async def aclose(self) -> None:
        close = getattr(self._primary, "aclose", None)
        if close is not None:
            await close()

    @property
    def degraded(self) -> bool:
        return self._failed_at is not None

    async def hit(self, checks: Sequence[LimitCheck]) -> RateDecision:
        decision, _ = await self._hit(checks, None)
        assert decision is not None
        return decision

    async def hit_in_epoch(
        self, checks: Sequence[LimitCheck], expected: str
    ) -> tuple[RateDecision | None, EpochRead | None]:
        """While the shared store fails the local limits count and nobody has read the epoch (``EPOCH_UNREAD``):
        the session check asks for it itself, and meets the outage there as it did before."""
        return await self._hit(checks, expected)

    async def _hit(
        self, checks: Sequence[LimitCheck], expected: str | None
    ) -> tuple[RateDecision | None, EpochRead | None]:
        now = time.monotonic()
        if self._failed_at is None or now - self._failed_at >= RETRY_SECONDS:
            try:
                if expected is None:
                    decision, epoch = await self._primary.hit(checks), EPOCH_UNREAD
                else:
                    decision, epoch = await self._primary.hit_in_epoch(checks, expected)
            except Exception as exc:  # any storage failure degrades to local limits
                self._failed_at = now
                if now - self._logged_at >= LOG_EVERY_SECONDS:
                    self._logged_at = now
                    logger.warning("rate-limit storage unreachable (%s); using per-process limits", type(exc).__name__)
            else:
                if self._failed_at is not None:
                    logger.warning("rate-limit storage is back; limits are shared again")
                self._failed_at = None
                return decision, epoch
        return await self._fallback.hit(checks), EPOCH_UNREAD
