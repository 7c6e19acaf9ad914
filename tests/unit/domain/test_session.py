from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.sessions.session import AuthScheme, Device, DeviceType, RefreshVerdict, Session, SessionPolicy
from s2cart.domain.shared.errors import ValidationFailed

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
POLICY = SessionPolicy()


def device(kind: DeviceType = DeviceType.WEB, device_id: str | None = None) -> Device:
    return Device(kind, device_id, "tests", "10.0.0.1", "1.0")


def session(current: str = "jti-2", previous: str | None = "jti-1", rotated: datetime | None = NOW) -> Session:
    s = Session.start("sid", 1, AuthScheme.JWT, device(), NOW, NOW + timedelta(days=30), refresh_jti=current)
    s.previous_refresh_jti = previous
    s.rotated_at = rotated
    return s


@pytest.mark.parametrize("kind", [DeviceType.ANDROID, DeviceType.IOS])
def test_mobile_devices_need_an_id(kind: DeviceType) -> None:
    with pytest.raises(ValidationFailed):
        device(kind)
    assert device(kind, "phone-1").device_id == "phone-1"


def test_the_current_token_rotates() -> None:
    assert session().refresh_verdict("jti-2", NOW, POLICY) is RefreshVerdict.ROTATE


@given(st.integers(min_value=0, max_value=3600))
def test_the_previous_token_is_a_race_inside_the_grace_window_and_theft_after(seconds: int) -> None:
    verdict = session().refresh_verdict("jti-1", NOW + timedelta(seconds=seconds), POLICY)
    expected = RefreshVerdict.RACE if seconds <= POLICY.reuse_grace.total_seconds() else RefreshVerdict.THEFT
    assert verdict is expected


def test_an_older_token_is_theft_at_once() -> None:
    assert session().refresh_verdict("jti-0", NOW, POLICY) is RefreshVerdict.THEFT


def test_a_revoked_or_expired_session_is_dead() -> None:
    revoked = session()
    revoked.revoke(NOW, "logout")
    assert revoked.refresh_verdict("jti-2", NOW, POLICY) is RefreshVerdict.DEAD
    assert session().refresh_verdict("jti-2", NOW + timedelta(days=31), POLICY) is RefreshVerdict.DEAD


def test_revoking_twice_keeps_the_first_reason() -> None:
    s = session()
    s.revoke(NOW, "logout")
    s.revoke(NOW + timedelta(hours=1), "operator")
    assert (s.revoked_at, s.revoked_reason) == (NOW, "logout")


def test_activity_is_written_at_most_once_a_minute() -> None:
    s = session()
    assert not s.activity_is_stale(NOW + timedelta(seconds=59))
    assert s.activity_is_stale(NOW + timedelta(seconds=60))
