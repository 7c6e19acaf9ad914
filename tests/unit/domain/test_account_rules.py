from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.users import rules
from s2cart.domain.users.passwords import PasswordPolicy
from s2cart.domain.users.user import LockoutPolicy

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)


@given(st.from_regex(r"[6-9][0-9]{9}", fullmatch=True), st.sampled_from(["", "+91", "+91 "]))
def test_indian_mobiles_normalise_to_plus_91(digits: str, prefix: str) -> None:
    spaced = f"{prefix}{digits[:5]} {digits[5:]}"
    assert rules.phone_of(spaced) == f"+91{digits}"


# The last: "9" then Devanagari digits, which a bare \d accepts.
@pytest.mark.parametrize(
    "raw",
    [
        "+9112345",
        "5876543210",
        "+1 2025550123",
        "98765432101",
        "abcdefghij",
        "",
        "9\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f\u0966",
    ],
)
def test_other_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        rules.phone_of(raw)
    assert "phone_number" in caught.value.errors


@given(st.from_regex(r"[A-Za-z0-9_.@+-]{3,150}", fullmatch=True))
def test_valid_usernames_keep_their_case_and_key_on_casefold(name: str) -> None:
    value, key = rules.username_of(name)
    assert value == name
    assert key == name.casefold()


@pytest.mark.parametrize("raw", ["ab", "has space", "semi;colon", "x" * 151, "émoji🙂"])
def test_bad_usernames(raw: str) -> None:
    with pytest.raises(ValidationFailed):
        rules.username_of(raw)


@pytest.mark.parametrize("raw", ["a@b.co", "John.Doe+shop@Example.COM", "x_y@sub.domain.in"])
def test_valid_emails_key_on_lower_case(raw: str) -> None:
    value, key = rules.email_of(f"  {raw} ")
    assert value == raw
    assert key == raw.lower()


@pytest.mark.parametrize("raw", ["plain", "a@b", "a@@b.com", "a b@c.com", "a..b@c.com", "@c.com", "a@c.c"])
def test_bad_emails(raw: str) -> None:
    with pytest.raises(ValidationFailed):
        rules.email_of(raw)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "too short"),
        ("12345678901", "entirely numeric"),
        ("Password123", "too common"),
        ("meenakshi2024", "too similar"),
        ("x" * 129, "too long"),
    ],
)
def test_password_policy_names_the_problem(password: str, problem: str) -> None:
    problems = PasswordPolicy().problems(password, ["meenakshi", "meenakshi@example.com"])
    assert any(problem in p for p in problems), problems


def test_a_good_password_passes() -> None:
    assert PasswordPolicy().problems("Blue-Mango-Kite-42!", ["johndoe123", "john.doe@example.com"]) == []


def test_birth_dates_in_the_future_are_refused() -> None:
    with pytest.raises(ValidationFailed):
        rules.birth_date_of(date(2030, 1, 1), date(2026, 1, 1))
    assert rules.birth_date_of(date(1990, 1, 1), date(2026, 1, 1)) == date(1990, 1, 1)


@pytest.mark.parametrize("url", ["http://a.com/x.jpg", "javascript:alert(1)", "https://", "ftp://a/b"])
def test_profile_images_must_be_https(url: str) -> None:
    with pytest.raises(ValidationFailed):
        rules.https_url_of(url, "profile_image")


@given(st.integers(min_value=0, max_value=50))
def test_lockout_locks_from_the_fifth_failure_for_an_hour(failures: int) -> None:
    locked_until = LockoutPolicy().locked_until_after(failures, NOW)
    if failures >= 5:
        assert locked_until == NOW + timedelta(minutes=60)
    else:
        assert locked_until is None
