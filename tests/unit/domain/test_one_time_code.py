from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.users.one_time_code import CodePolicy, CodePurpose, OneTimeCode, new_link_token, new_otp

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
POLICY = CodePolicy()


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def issue(otp: str = "123456") -> OneTimeCode:
    return OneTimeCode.issue(1, CodePurpose.VERIFY_EMAIL, digest("t" * 64), digest(otp), NOW, POLICY)


def test_fresh_secrets_have_the_contract_shapes() -> None:
    tokens = {new_link_token() for _ in range(50)}
    assert all(len(t) == 64 for t in tokens)
    assert len(tokens) == 50
    otps = [new_otp() for _ in range(200)]
    assert all(len(o) == 6 and o.isdigit() for o in otps)


@given(st.integers(min_value=0, max_value=48 * 3600))
def test_token_lives_24_hours_and_otp_25_minutes(seconds: int) -> None:
    code = issue()
    at = NOW + timedelta(seconds=seconds)
    assert code.token_usable(at) == (seconds < 24 * 3600)
    assert code.otp_usable(at, POLICY) == (seconds < 25 * 60)


@given(st.lists(st.booleans(), max_size=12))
def test_the_fifth_wrong_otp_spends_it(guesses: list[bool]) -> None:
    code = issue("123456")
    wrong = 0
    for right in guesses:
        outcome = code.try_otp(digest("123456" if right else "654321"), NOW, POLICY)
        if wrong >= 5:
            assert outcome is False
        else:
            assert outcome is right
        if not right and wrong < 5:
            wrong += 1
    assert code.otp_attempts == min(wrong, 5)


def test_a_consumed_code_works_no_more() -> None:
    code = issue()
    code.consume(NOW)
    assert not code.token_usable(NOW)
    assert code.try_otp(digest("123456"), NOW, POLICY) is False


def test_expiry_wording() -> None:
    assert POLICY.otp_expires_in == "25 minutes"
