"""The rate limiter port: count a request against several limits at once, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from s2cart.application.ports.auth import EPOCH_UNREAD, EpochRead

__all__ = ["EPOCH_UNREAD", "EpochRead", "Limit", "LimitCheck", "LimitState", "RateDecision", "RateLimiter"]


@dataclass(frozen=True)
class Limit:
    amount: int
    seconds: int
    limit_type: str

    def scaled(self, multiplier: float) -> Limit:
        return Limit(max(1, round(self.amount * multiplier)), self.seconds, self.limit_type)

    def __str__(self) -> str:
        return f"{self.amount}/{self.seconds}s"


@dataclass(frozen=True)
class LimitCheck:
    limit: Limit
    key: str


@dataclass(frozen=True)
class LimitState:
    """One limit after the request was counted (or refused): how much is used and when it frees up."""

    check: LimitCheck
    used: int
    reset_after: float

    @property
    def remaining(self) -> int:
        return max(0, self.check.limit.amount - self.used)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    states: Sequence[LimitState]

    @property
    def deciding(self) -> LimitState | None:
        """The limit that refused the request, or the tightest one that let it through."""
        if not self.states:
            return None
        if not self.allowed:
            refused = [s for s in self.states if s.used > s.check.limit.amount]
            return max(refused or self.states, key=lambda s: s.reset_after)
        return min(self.states, key=lambda s: (s.remaining, -s.reset_after))


class RateLimiter(Protocol):
    async def hit(self, checks: Sequence[LimitCheck]) -> RateDecision:
        """Count one request against every check; if any would go over, count none and refuse.

        A refused state reports ``used`` as what the request would have made it (e.g. 4 of 3)."""
        ...

    async def hit_in_epoch(
        self, checks: Sequence[LimitCheck], expected: str
    ) -> tuple[RateDecision | None, EpochRead | None]:
        """``hit``, counted only if the AuthEpoch is ``expected``, with the epoch read in the same round trip
        (decision 0040). In another epoch nothing is counted and the decision is None. A limiter that cannot
        read the epoch counts as ``hit`` does and answers ``EPOCH_UNREAD``."""
        ...
