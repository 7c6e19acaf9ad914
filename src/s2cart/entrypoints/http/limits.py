"""A route's own rate limit, declared where the route is: ``@post("/orders/", opt=limit(10, MINUTE, "order", "user"))``.

Every request also counts against its caller's tier (application/ratelimit/table.py); a route's ``opt``
adds the contract's limit for that endpoint, keyed by address ("ip"), signed-in user ("user", the address
for a caller who is not signed in) or the account a sign-in names ("account"). Where the contract gives one
endpoint two limits (password reset request 5/h and 3/h, confirm 5/h and 10/h), the stricter one is declared.
"""

from __future__ import annotations

from typing import Any

from s2cart.application.ratelimit.table import DAY, HOUR, MINUTE, TIER_ONLY, EndpointLimit, KeyKind, RouteLimits

__all__ = ["DAY", "HOUR", "MINUTE", "UNLIMITED", "limit", "limits_of"]

RATE_LIMIT = "rate_limit"
# Monitoring polls these from one address all day; counting them would lock the monitor out (and spend the
# budget of whoever shares its address). They read no user data, so they count against nothing and say so:
# no X-RateLimit-* headers.
UNLIMITED: dict[str, Any] = {RATE_LIMIT: RouteLimits(unlimited=True)}


def limit(amount: int, seconds: int, limit_type: str, *keys: KeyKind, tier_exempt: bool = False) -> dict[str, Any]:
    """The route's ``opt``: ``amount`` requests a ``seconds`` window per key. ``tier_exempt``: the callers are
    not customers (gateways), so the route is counted by this limit only, outside the anonymous tier."""
    return {RATE_LIMIT: RouteLimits((EndpointLimit(amount, seconds, limit_type, keys),), tier_exempt=tier_exempt)}


def limits_of(opt: dict[str, Any]) -> RouteLimits:
    found = opt.get(RATE_LIMIT, TIER_ONLY)
    assert isinstance(found, RouteLimits)
    return found
