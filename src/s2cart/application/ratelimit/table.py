"""Who may call what how often: the per-client tiers, and the counting of the limits each route declares.

The contract's per-endpoint limits are declared on the routes (entrypoints/http/limits.py), where the
paths are; this module knows no path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from s2cart.application.ports.ratelimit import Limit, LimitCheck

MINUTE, HOUR, DAY = 60, 3600, 86400
KeyKind = Literal["ip", "user", "account"]


@dataclass(frozen=True)
class EndpointLimit:
    amount: int
    seconds: int
    limit_type: str
    keys: tuple[KeyKind, ...]

    def limit(self) -> Limit:
        return Limit(self.amount, self.seconds, self.limit_type)


@dataclass(frozen=True)
class RouteLimits:
    """What one route adds to the caller's tier. Routes declare theirs where they are defined (the HTTP edge,
    entrypoints/http/limits.py); the application knows no paths, only the route's key it is handed."""

    limits: tuple[EndpointLimit, ...] = ()
    # Gateways, not people: counted by their own limit only, outside the anonymous tier.
    tier_exempt: bool = False
    # Monitoring: counted against nothing, and no X-RateLimit-* headers.
    unlimited: bool = False

    @property
    def names_an_account(self) -> bool:
        """Whether a limit is keyed by the account the request names (sign-in: the body is read for it)."""
        return any("account" in rule.keys for rule in self.limits)


TIER_ONLY = RouteLimits()

TIER_LIMITS: Mapping[str, tuple[Limit, ...]] = {
    "anonymous": (Limit(50, MINUTE, "anonymous"), Limit(1_000, HOUR, "anonymous"), Limit(10_000, DAY, "anonymous")),
    "standard": (Limit(200, MINUTE, "user"), Limit(5_000, HOUR, "user"), Limit(50_000, DAY, "user")),
    "premium": (Limit(500, MINUTE, "premium"), Limit(10_000, HOUR, "premium"), Limit(100_000, DAY, "premium")),
}


@dataclass(frozen=True)
class Caller:
    ip: str
    user_id: int | None = None
    tier: str = "anonymous"
    account: str | None = None


class RateLimitTable:
    def __init__(self, multiplier: float = 1.0, tiers: Mapping[str, tuple[Limit, ...]] = TIER_LIMITS) -> None:
        self._multiplier = multiplier
        self._tiers = tiers

    def checks(self, route: str | None, caller: Caller, limits: RouteLimits = TIER_ONLY) -> Sequence[LimitCheck]:
        """Every limit this request counts against, each with the key it is counted under; ``route`` is the
        route's key (its counters' prefix), ``limits`` what the route declares."""
        found: list[LimitCheck] = []
        for rule in limits.limits:
            for kind in rule.keys:
                key = self._key(kind, caller)
                if key is not None:
                    found.append(LimitCheck(rule.limit().scaled(self._multiplier), f"{route}|{key}"))
        if limits.tier_exempt:
            return found
        tier = caller.tier if caller.user_id is not None else "anonymous"
        who = f"user:{caller.user_id}" if caller.user_id is not None else f"ip:{caller.ip}"
        for limit in self._tiers.get(tier, self._tiers["standard"]):
            found.append(LimitCheck(limit.scaled(self._multiplier), f"tier:{limit.seconds}|{who}"))
        return found

    @staticmethod
    def _key(kind: KeyKind, caller: Caller) -> str | None:
        if kind == "ip":
            return f"ip:{caller.ip}"
        if kind == "account":
            return f"account:{caller.account}" if caller.account else None
        # Per-user limits fall back to the address for a caller who is not signed in.
        return f"user:{caller.user_id}" if caller.user_id is not None else f"ip:{caller.ip}"
