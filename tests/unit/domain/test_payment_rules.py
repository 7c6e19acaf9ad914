from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.payments.rules import (
    EXPIRY_WINDOW,
    judge_payment,
    refund_status_for,
    status_after_initiate,
)
from s2cart.domain.payments.status import (
    AMOUNT_MISMATCH,
    GatewaySignal,
    InitiateOutcome,
    PaymentStatus,
    RefundStatus,
)

START = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
signals = st.sampled_from(list(GatewaySignal))
ages = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3))


def test_initiate_fails_only_on_an_explicit_rejection() -> None:
    assert status_after_initiate(InitiateOutcome.ACCEPTED) is PaymentStatus.PENDING
    assert status_after_initiate(InitiateOutcome.REJECTED) is PaymentStatus.FAILED
    # A timeout, 5xx or garbage reply: the gateway may have created the transaction.
    assert status_after_initiate(InitiateOutcome.UNKNOWN) is PaymentStatus.PENDING


@given(signal=signals, matches=st.booleans(), age=ages)
def test_only_a_matching_success_completes(signal: GatewaySignal, matches: bool, age: timedelta) -> None:
    verdict = judge_payment(signal, details_match=matches, initiated_at=START, now=START + age)
    assert (verdict.status is PaymentStatus.COMPLETED) == (signal is GatewaySignal.SUCCESS and matches)


@given(age=ages)
def test_a_success_that_does_not_match_fails_as_amount_mismatch(age: timedelta) -> None:
    verdict = judge_payment(GatewaySignal.SUCCESS, details_match=False, initiated_at=START, now=START + age)
    assert (verdict.status, verdict.reason) == (PaymentStatus.FAILED, AMOUNT_MISMATCH)


@given(signal=st.sampled_from([GatewaySignal.PENDING, GatewaySignal.UNKNOWN]), matches=st.booleans(), age=ages)
def test_pending_or_unknown_never_fails_nor_expires(signal: GatewaySignal, matches: bool, age: timedelta) -> None:
    verdict = judge_payment(signal, details_match=matches, initiated_at=START, now=START + age)
    assert verdict == judge_payment(signal, details_match=matches, initiated_at=START, now=START)
    assert verdict.status is PaymentStatus.PENDING


@given(signal=signals, matches=st.booleans(), age=ages)
def test_expiry_needs_no_record_and_the_full_window(signal: GatewaySignal, matches: bool, age: timedelta) -> None:
    verdict = judge_payment(signal, details_match=matches, initiated_at=START, now=START + age)
    expected = signal is GatewaySignal.NOT_FOUND and age >= EXPIRY_WINDOW
    assert (verdict.status is PaymentStatus.EXPIRED) == expected


def test_no_record_is_pending_just_inside_the_window() -> None:
    inside = judge_payment(
        GatewaySignal.NOT_FOUND,
        details_match=False,
        initiated_at=START,
        now=START + timedelta(minutes=19, seconds=59),
    )
    at_edge = judge_payment(GatewaySignal.NOT_FOUND, details_match=False, initiated_at=START, now=START + EXPIRY_WINDOW)
    assert (inside.status, at_edge.status) == (PaymentStatus.PENDING, PaymentStatus.EXPIRED)


def test_a_failure_fails_without_a_mismatch_reason() -> None:
    verdict = judge_payment(GatewaySignal.FAILURE, details_match=False, initiated_at=START, now=START)
    assert (verdict.status, verdict.reason) == (PaymentStatus.FAILED, None)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        judge_payment(GatewaySignal.SUCCESS, details_match=True, initiated_at=START.replace(tzinfo=None), now=START)


@pytest.mark.parametrize(
    ("signal", "expected"),
    [
        (GatewaySignal.SUCCESS, RefundStatus.COMPLETED),
        (GatewaySignal.FAILURE, RefundStatus.FAILED),
        (GatewaySignal.NOT_FOUND, RefundStatus.FAILED),
        (GatewaySignal.PENDING, RefundStatus.PENDING),
        (GatewaySignal.UNKNOWN, RefundStatus.PENDING),
    ],
)
def test_refund_statuses(signal: GatewaySignal, expected: RefundStatus) -> None:
    assert refund_status_for(signal) is expected
