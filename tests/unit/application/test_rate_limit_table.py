from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from s2cart.application.ports.ratelimit import Limit, LimitCheck, LimitState, RateDecision
from s2cart.application.ratelimit.table import HOUR, MINUTE, Caller, EndpointLimit, RateLimitTable, RouteLimits

SIGN_IN = RouteLimits((EndpointLimit(3, MINUTE, "login", ("ip", "account")),))
PAYMENT = RouteLimits((EndpointLimit(10, HOUR, "payment", ("user",)),))
CALLBACK = RouteLimits((EndpointLimit(600, MINUTE, "gateway_callback", ("ip",)),), tier_exempt=True)


def by_type(checks: list[LimitCheck]) -> dict[str, list[LimitCheck]]:
    found: dict[str, list[LimitCheck]] = {}
    for check in checks:
        found.setdefault(check.limit.limit_type, []).append(check)
    return found


def test_sign_in_counts_against_address_account_and_tier() -> None:
    checks = list(RateLimitTable().checks("POST /jwt/", Caller(ip="1.2.3.4", account="a@b.co"), SIGN_IN))
    login = by_type(checks)["login"]
    assert {c.key.split("|")[1] for c in login} == {"ip:1.2.3.4", "account:a@b.co"}
    assert all(c.limit.amount == 3 and c.limit.seconds == 60 for c in login)
    assert [c.limit.amount for c in by_type(checks)["anonymous"]] == [50, 1_000, 10_000]


def test_payments_and_writes_are_keyed_by_user() -> None:
    caller = Caller(ip="9.9.9.9", user_id=7, tier="standard")
    checks = list(RateLimitTable().checks("POST /payments/initiate/", caller, PAYMENT))
    payment = by_type(checks)["payment"]
    assert [(c.limit.amount, c.limit.seconds) for c in payment] == [(10, 3600)]
    assert payment[0].key.endswith("user:7")
    assert [c.limit.amount for c in by_type(checks)["user"]] == [200, 5_000, 50_000]


def test_premium_users_get_the_premium_tier() -> None:
    checks = list(RateLimitTable().checks(None, Caller(ip="1.1.1.1", user_id=3, tier="premium")))
    assert [c.limit.amount for c in checks] == [500, 10_000, 100_000]
    assert all(c.limit.limit_type == "premium" for c in checks)


def test_only_a_limit_keyed_by_account_makes_the_route_read_the_account() -> None:
    assert SIGN_IN.names_an_account
    assert not PAYMENT.names_an_account and not CALLBACK.names_an_account


@given(st.floats(min_value=0.001, max_value=10))
def test_the_multiplier_scales_every_limit_and_never_to_zero(multiplier: float) -> None:
    registration = RouteLimits((EndpointLimit(5, HOUR, "registration", ("ip",)),))
    for check in RateLimitTable(multiplier).checks("POST /register/", Caller(ip="1.1.1.1"), registration):
        assert check.limit.amount >= 1


def test_the_deciding_limit_is_the_tightest_or_the_refusing_one() -> None:
    minute = LimitCheck(Limit(3, 60, "login"), "a")
    day = LimitCheck(Limit(100, 86400, "anonymous"), "b")
    allowed = RateDecision(True, [LimitState(minute, 2, 30.0), LimitState(day, 50, 1000.0)])
    assert allowed.deciding is not None and allowed.deciding.check is minute
    refused = RateDecision(False, [LimitState(minute, 2, 30.0), LimitState(day, 101, 1000.0)])
    assert refused.deciding is not None and refused.deciding.check is day


def test_gateway_callbacks_count_per_address_and_skip_the_anonymous_tier() -> None:
    for route in ("POST /payments/paytm/callback/", "POST /payments/phonepe/callback/"):
        checks = RateLimitTable().checks(route, Caller(ip="203.0.113.9"), CALLBACK)
        assert [(c.limit.amount, c.limit.limit_type, c.key) for c in checks] == [
            (600, "gateway_callback", f"{route}|ip:203.0.113.9")
        ]
    initiate = RateLimitTable().checks(
        "POST /payments/initiate/", Caller(ip="203.0.113.9", user_id=4, tier="standard"), PAYMENT
    )
    assert {c.limit.limit_type for c in initiate} == {"payment", "user"}
