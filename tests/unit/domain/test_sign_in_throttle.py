from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.users.sign_in_throttle import SignInThrottlePolicy, ThrottleRule, ThrottleState

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
RULE = ThrottleRule(
    "login_address_account",
    max_failures=5,
    window=timedelta(minutes=15),
    first_block=timedelta(minutes=1),
    longest_block=timedelta(minutes=15),
)


def fail(state: ThrottleState, times: int, at: datetime) -> ThrottleState:
    for _ in range(times):
        state = state.after_failure(RULE, at)
    return state


def test_the_fifth_failure_inside_the_window_blocks_for_a_minute() -> None:
    four = fail(ThrottleState.first(NOW), 4, NOW)
    assert four.blocked(NOW) is None
    fifth = four.after_failure(RULE, NOW)
    assert fifth.blocked(NOW) == NOW + timedelta(minutes=1)
    assert fifth.blocked(NOW + timedelta(minutes=1)) is None


def test_blocks_in_a_row_double_up_to_the_longest() -> None:
    state, at, blocks = ThrottleState.first(NOW), NOW, []
    for _ in range(6):
        state = fail(state, 5, at)
        assert state.blocked_until is not None
        blocks.append(state.blocked_until - at)
        at = state.blocked_until
    assert blocks == [timedelta(minutes=m) for m in (1, 2, 4, 8, 15, 15)]


def test_a_quiet_hour_forgets_the_run_of_blocks() -> None:
    state = fail(fail(ThrottleState.first(NOW), 5, NOW), 5, NOW + timedelta(minutes=1))
    assert state.strikes == 2
    later = NOW + timedelta(hours=2)
    again = fail(state, 5, later)
    assert again.blocked(later) == later + timedelta(minutes=1)


@given(st.integers(min_value=1, max_value=4), st.integers(min_value=15 * 60, max_value=10 * 3600))
def test_failures_of_a_past_window_do_not_count(failures: int, age_seconds: int) -> None:
    old = fail(ThrottleState.first(NOW), failures, NOW)
    later = NOW + timedelta(seconds=age_seconds)
    assert fail(old, 4, later).blocked(later) is None


@given(st.floats(min_value=0.01, max_value=100))
def test_the_multiplier_scales_every_count(multiplier: float) -> None:
    policy = SignInThrottlePolicy().scaled(multiplier)
    assert policy.per_address_and_account.max_failures == max(1, round(10 * multiplier))
    assert policy.per_address.max_failures == max(1, round(200 * multiplier))
    assert policy.per_address.max_failures >= policy.per_address_and_account.max_failures


def test_the_pair_key_names_no_account_in_clear() -> None:
    checks = SignInThrottlePolicy().checks("203.0.113.7", "asha@example.com")
    assert [c.rule.limit_type for c in checks] == ["login_address_account", "login_address"]
    assert checks[1].key == "ip:203.0.113.7"
    assert "asha" not in checks[0].key and checks[0].key.startswith("ip+account:203.0.113.7|")
    assert len(checks[0].key) <= 128
    assert SignInThrottlePolicy().checks("203.0.113.7", None)[0].key == "ip:203.0.113.7"
