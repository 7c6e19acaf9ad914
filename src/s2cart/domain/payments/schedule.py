"""When to ask a gateway again about an attempt that has not settled (PhonePe's mandated schedule), and
when to stop: the one place the 20-minute horizon is computed.

First check 25 s after initiation, then every 3 s until 55 s, every 6 s until 115 s, every 10 s until
175 s, every 30 s until 235 s, then every 60 s until the 20-minute horizon, where S2Cart gives up
(EXPIRED). Used for Paytm too, so both gateways settle alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# PhonePe's reconciliation horizon; used for Paytm as well so both gateways expire alike.
EXPIRY_WINDOW = timedelta(minutes=20)
FIRST_CHECK = timedelta(seconds=25)
_STEPS: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(seconds=55), timedelta(seconds=3)),
    (timedelta(seconds=115), timedelta(seconds=6)),
    (timedelta(seconds=175), timedelta(seconds=10)),
    (timedelta(seconds=235), timedelta(seconds=30)),
)
LAST_STEP = timedelta(seconds=60)


def first_check(initiated_at: datetime) -> datetime:
    return initiated_at + FIRST_CHECK


def horizon(initiated_at: datetime) -> datetime:
    return initiated_at + EXPIRY_WINDOW


def past_horizon(initiated_at: datetime, now: datetime) -> bool:
    if initiated_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return now >= horizon(initiated_at)


def next_check(initiated_at: datetime, now: datetime) -> datetime | None:
    """The next time to ask, never past the horizon; None once the horizon is reached (give up)."""
    if past_horizon(initiated_at, now):
        return None
    if now - initiated_at < FIRST_CHECK:
        return first_check(initiated_at)
    age = now - initiated_at
    step = next((every for until, every in _STEPS if age < until), LAST_STEP)
    return min(now + step, horizon(initiated_at))
