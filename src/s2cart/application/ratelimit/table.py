"""Who may call what how often: the contract's per-endpoint limits and the per-client tiers, in one table.

Where the contract gives one endpoint two limits (password reset request 5/h and 3/h, confirm 5/h and
10/h), the stricter one is used.
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


def _per(amount: int, seconds: int, limit_type: str, *keys: KeyKind) -> EndpointLimit:
    return EndpointLimit(amount, seconds, limit_type, keys)


# "METHOD /path/template/" relative to /api/auth -> limits beyond the client's tier.
ENDPOINT_LIMITS: Mapping[str, tuple[EndpointLimit, ...]] = {
    "POST /register/": (_per(5, HOUR, "registration", "ip"),),
    "POST /login/": (_per(3, MINUTE, "login", "ip", "account"),),
    "POST /jwt/": (_per(3, MINUTE, "login", "ip", "account"),),
    "POST /jwt/refresh/": (_per(50, MINUTE, "refresh", "ip"),),
    "POST /jwt/verify/": (_per(100, MINUTE, "verify", "ip"),),
    "POST /orders/": (_per(10, MINUTE, "order", "user"),),
    "PATCH /orders/{order_id}/": (_per(10, MINUTE, "order", "user"),),
    "POST /payments/initiate/": (_per(10, HOUR, "payment", "user"),),
    "GET /payments/status/{order_id}/": (_per(50, MINUTE, "payment", "user"),),
    "POST /payments/history/{payment_id}/retry/": (_per(5, HOUR, "payment", "user"),),
    # Gateways, not people: counted per sending address, generously, and outside the anonymous tier.
    "POST /payments/paytm/callback/": (_per(600, MINUTE, "gateway_callback", "ip"),),
    "POST /payments/phonepe/callback/": (_per(600, MINUTE, "gateway_callback", "ip"),),
    "POST /addresses/": (_per(20, HOUR, "address", "user"),),
    "PATCH /addresses/{address_id}/": (_per(20, HOUR, "address", "user"),),
    "DELETE /addresses/{address_id}/": (_per(20, HOUR, "address", "user"),),
    "POST /addresses/set-default/{address_id}/": (_per(50, MINUTE, "address", "user"),),
    "POST /search-history/": (_per(100, MINUTE, "search", "user"),),
    "DELETE /search-history/clear/": (_per(10, HOUR, "search", "user"),),
    "POST /support/tickets/": (_per(10, HOUR, "support", "user"),),
    "POST /support/tickets/{ticket_id}/messages/": (_per(50, HOUR, "support", "user"),),
    "GET /health/": (_per(100, MINUTE, "health", "ip"),),
    "GET /": (_per(100, MINUTE, "anonymous", "ip"),),
    "POST /password-reset/request/": (_per(3, HOUR, "password_reset", "ip"),),
    "POST /password-reset/confirm/": (_per(5, HOUR, "password_reset", "ip"),),
    "GET /verify/{token}/": (_per(10, HOUR, "verification", "ip"),),
    "POST /verify/otp/": (_per(10, HOUR, "verification", "ip"),),
    "POST /verify/resend/": (_per(3, HOUR, "verification", "ip"),),
}

# Routes whose callers are not customers: a busy hour of gateway notifications from a handful of gateway
# addresses must not run into the anonymous tier (50/min an address) and be dropped.
TIER_EXEMPT: frozenset[str] = frozenset({"POST /payments/paytm/callback/", "POST /payments/phonepe/callback/"})
# Monitoring polls these from one address all day; counting them would lock the monitor out (and spend the
# budget of whoever shares its address). They read no user data, so they count against nothing and say so:
# no X-RateLimit-* headers. /metrics sits outside the API's base path, so its key is its full path.
UNLIMITED_ROUTES = frozenset({"GET /live/", "GET /metrics/"})

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
    def __init__(
        self,
        multiplier: float = 1.0,
        endpoints: Mapping[str, tuple[EndpointLimit, ...]] = ENDPOINT_LIMITS,
        tiers: Mapping[str, tuple[Limit, ...]] = TIER_LIMITS,
        tier_exempt: frozenset[str] = TIER_EXEMPT,
    ) -> None:
        self._multiplier = multiplier
        self._endpoints = endpoints
        self._tiers = tiers
        self._tier_exempt = tier_exempt

    @staticmethod
    def is_unlimited(route: str | None) -> bool:
        return route in UNLIMITED_ROUTES

    def checks(self, route: str | None, caller: Caller) -> Sequence[LimitCheck]:
        """Every limit this request counts against, each with the key it is counted under."""
        found: list[LimitCheck] = []
        for rule in self._endpoints.get(route or "", ()):
            for kind in rule.keys:
                key = self._key(kind, caller)
                if key is not None:
                    found.append(LimitCheck(rule.limit().scaled(self._multiplier), f"{route}|{key}"))
        if route in self._tier_exempt:
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
