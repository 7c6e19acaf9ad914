from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments import schedule
from s2cart.domain.payments.facts import GatewayFacts, GatewayState
from s2cart.domain.payments.payment import (
    AMOUNT_MISMATCH,
    CAPTURED_STATES,
    Action,
    Payment,
    PaymentState,
)
from tests.unit.domain.payment_builders import MERCHANT, START, an_attempt, an_order, said

SUCCESS, FAILURE, EXPIRY, STILL_PENDING, MISMATCH = "success", "failure", "expiry", "pending", "mismatch"


def facts(kind: str, payment: Payment) -> GatewayFacts:
    if kind == MISMATCH:
        return said(GatewayState.SUCCESS, payment, amount_paise=1)
    state = {
        SUCCESS: GatewayState.SUCCESS,
        FAILURE: GatewayState.FAILURE,
        EXPIRY: GatewayState.NOT_FOUND,
        STILL_PENDING: GatewayState.PENDING,
    }[kind]
    return said(state, payment)


def apply(payment: Payment, kind: str, order, now) -> PaymentState | None:  # type: ignore[no-untyped-def]
    """A status read of ``kind``; EXPIRY is "no record" judged past the horizon, as the reconciler sees it."""
    if kind == EXPIRY:
        now = max(now, schedule.horizon(payment.created_at))
    return payment.settle(facts(kind, payment), order, MERCHANT, now)


def captures(payment) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for r in payment.records if r.action is Action.CAPTURE)


def test_a_success_captures_and_pays_the_order() -> None:
    order = an_order()
    payment = an_attempt(order)
    now = START + timedelta(seconds=30)

    assert apply(payment, SUCCESS, order, now) is PaymentState.COMPLETED

    assert (payment.status, payment.captured_at, order.paid_at) == (PaymentState.COMPLETED, now, now)
    assert (payment.gateway_transaction_id, payment.payment_type) == ("PTM1", "UPI")
    assert [(r.action, r.status) for r in payment.records] == [(Action.CAPTURE, GatewayState.SUCCESS)]
    assert payment.next_check_at is None
    assert not payment.refund_due


def test_the_same_success_again_changes_nothing() -> None:
    order = an_order()
    payment = an_attempt(order)
    apply(payment, SUCCESS, order, START + timedelta(seconds=30))
    later = START + timedelta(minutes=3)

    assert apply(payment, SUCCESS, order, later) is None

    assert captures(payment) == 1
    assert payment.captured_at == order.paid_at == START + timedelta(seconds=30)


@pytest.mark.parametrize("report", [FAILURE, EXPIRY, STILL_PENDING, MISMATCH])
def test_nothing_undoes_a_capture(report: str) -> None:
    order = an_order()
    payment = an_attempt(order)
    apply(payment, SUCCESS, order, START)

    assert apply(payment, report, order, START + timedelta(minutes=1)) is None
    assert payment.status is PaymentState.COMPLETED
    assert payment.failure_reason is None


def test_a_mismatched_success_fails_and_never_pays() -> None:
    order = an_order()
    payment = an_attempt(order)

    assert apply(payment, MISMATCH, order, START) is PaymentState.FAILED

    assert (payment.status, payment.failure_reason, order.paid_at) == (PaymentState.FAILED, AMOUNT_MISMATCH, None)


@pytest.mark.parametrize("report", [FAILURE, EXPIRY])
def test_a_late_success_completes_a_failed_or_expired_attempt_of_a_payable_order(report: str) -> None:
    order = an_order()
    payment = an_attempt(order)
    apply(payment, report, order, START + timedelta(minutes=1))
    late = START + timedelta(minutes=30)

    assert apply(payment, SUCCESS, order, late) is PaymentState.COMPLETED

    assert (payment.status, order.paid_at, payment.refund_due) == (PaymentState.COMPLETED, late, False)


def test_a_late_success_for_a_cancelled_order_is_flagged_for_refund() -> None:
    order = an_order()
    payment = an_attempt(order)
    apply(payment, FAILURE, order, START)
    order.cancel("changed my mind", START + timedelta(minutes=5))
    late = START + timedelta(minutes=30)

    assert apply(payment, SUCCESS, order, late) is PaymentState.COMPLETED

    assert payment.status is PaymentState.COMPLETED
    assert payment.refund_due and payment.needs_refund
    assert order.refund_due and order.status is OrderStatus.CANCELLED


def test_a_second_paid_attempt_of_a_paid_order_is_flagged_for_refund() -> None:
    order = an_order()
    first, second = an_attempt(order, 1), an_attempt(order, 2)
    first.supersede(START)
    apply(second, SUCCESS, order, START + timedelta(minutes=1))

    assert apply(first, SUCCESS, order, START + timedelta(minutes=2)) is PaymentState.COMPLETED

    assert order.paid_at == START + timedelta(minutes=1)
    assert first.refund_due and not second.refund_due


def test_a_rejected_initiate_fails_and_an_unknown_one_stays_pending() -> None:
    order = an_order()
    rejected, unknown = an_attempt(order, 1), an_attempt(order, 2)

    rejected.initiated(GatewayFacts("PAYTM", GatewayState.FAILURE, code="325", message="Duplicate Order Id"), START)
    unknown.initiated(GatewayFacts.unanswered("PAYTM", "TIMEOUT"), START)

    assert (rejected.status, rejected.failure_reason, rejected.next_check_at) == (PaymentState.FAILED, "325", None)
    assert (unknown.status, unknown.gateway_code) == (PaymentState.PENDING, "TIMEOUT")
    assert unknown.next_check_at == schedule.first_check(START)
    assert [r.status for r in rejected.records + unknown.records] == [GatewayState.FAILURE, GatewayState.PENDING]


def test_a_rejection_arriving_after_a_callback_completed_the_attempt_changes_nothing() -> None:
    order = an_order()
    payment = an_attempt(order)
    apply(payment, SUCCESS, order, START)
    payment.initiated(GatewayFacts("PAYTM", GatewayState.FAILURE, code="325"), START)
    assert payment.status is PaymentState.COMPLETED


def test_pending_attempts_expire_at_the_horizon() -> None:
    order = an_order()
    payment = an_attempt(order)
    assert payment.checked(START + timedelta(minutes=19)) is None
    assert payment.status is PaymentState.PENDING

    assert payment.checked(schedule.horizon(START)) is PaymentState.EXPIRED

    assert (payment.status, payment.next_check_at) == (PaymentState.EXPIRED, None)
    assert payment.records[-1].action is Action.EXPIRE


def test_a_still_pending_answer_at_the_horizon_is_reported_as_the_move_to_expired() -> None:
    """Settlement counts (and logs) what ``settle`` returns: giving up at the horizon is a move too."""
    order = an_order()
    payment = an_attempt(order)
    assert apply(payment, STILL_PENDING, order, START + timedelta(minutes=19)) is None

    assert apply(payment, STILL_PENDING, order, schedule.horizon(START)) is PaymentState.EXPIRED

    assert (payment.status, payment.failure_reason, payment.next_check_at) == (
        PaymentState.EXPIRED,
        "NO_FINAL_STATUS",
        None,
    )
    assert apply(payment, STILL_PENDING, order, schedule.horizon(START) + timedelta(minutes=1)) is None


def test_a_superseded_attempt_is_watched_until_the_gateway_says_it_failed() -> None:
    order = an_order()
    payment = an_attempt(order)
    payment.supersede(START + timedelta(seconds=5))
    assert payment.status is PaymentState.CANCELLED
    payment.checked(START + timedelta(seconds=30))
    assert payment.next_check_at is not None

    apply(payment, FAILURE, order, START + timedelta(seconds=40))
    payment.checked(START + timedelta(seconds=40))

    assert (payment.status, payment.next_check_at) == (PaymentState.CANCELLED, None)


def test_a_refund_goes_pending_then_refunded_and_a_refusal_returns_to_completed() -> None:
    orders = an_order(7), an_order(8)
    refunded, refused = an_attempt(orders[0], 1), an_attempt(orders[1], 2)
    for payment, order in zip((refunded, refused), orders, strict=True):
        apply(payment, SUCCESS, order, START)
        with pytest.raises(ValueError, match="no refund"):
            payment.request_refund("RFD_1", START)
        payment.flag_refund()
        payment.request_refund(f"RFD_{payment.id}", START)
        assert payment.status is PaymentState.REFUND_PENDING
        assert payment.refund_answered(GatewayFacts("PAYTM", GatewayState.PENDING), START) is None
        assert payment.refund_answered(GatewayFacts.unanswered("PAYTM", "TIMEOUT"), START) is None
        assert payment.status is PaymentState.REFUND_PENDING

    done = GatewayFacts("PAYTM", GatewayState.SUCCESS, code="10", transaction_id="RF1")
    assert refunded.refund_answered(done, START + timedelta(minutes=1)) is PaymentState.REFUNDED
    assert refunded.refund_answered(GatewayFacts("PAYTM", GatewayState.FAILURE), START + timedelta(minutes=2)) is None
    refusal = GatewayFacts("PAYTM", GatewayState.FAILURE, code="620")
    assert refused.refund_answered(refusal, START + timedelta(minutes=1)) is PaymentState.COMPLETED

    assert (refunded.status, refunded.refunded_at, refunded.gateway_refund_id) == (
        PaymentState.REFUNDED,
        START + timedelta(minutes=1),
        "RF1",
    )
    assert (refused.status, refused.refund_refused, refused.needs_refund) == (
        PaymentState.COMPLETED,
        True,
        False,  # refused refunds wait for an operator, they are not retried blindly
    )


# --- properties over any sequence of callbacks, polls and clock ticks ---------------------------------------

reports = st.sampled_from([SUCCESS, FAILURE, EXPIRY, STILL_PENDING, MISMATCH])
answers = st.sampled_from([GatewayFacts("PAYTM", state, code="X") for state in GatewayState])
steps = st.lists(
    st.one_of(
        st.tuples(st.just("report"), reports),
        st.tuples(st.just("check"), st.integers(min_value=0, max_value=2000)),
        st.tuples(st.just("supersede"), st.none()),
        st.tuples(st.just("cancel_order"), st.none()),
        st.tuples(st.just("initiated"), answers),
    ),
    max_size=25,
)


@given(steps=steps)
def test_any_sequence_captures_at_most_once_and_completed_is_absorbing(steps: list[tuple[str, object]]) -> None:
    order = an_order()
    payment = an_attempt(order)
    now = START
    captured_at = None
    payable_when_captured = None
    for kind, value in steps:
        now += timedelta(seconds=7)
        was_payable = order.paid_at is None and order.status is not OrderStatus.CANCELLED
        before = payment.status
        if kind == "report":
            assert isinstance(value, str)
            apply(payment, value, order, now)
        elif kind == "check":
            assert isinstance(value, int)
            payment.checked(START + timedelta(seconds=value))
        elif kind == "supersede":
            payment.supersede(now)
        elif kind == "cancel_order" and order.status is OrderStatus.PLACED:
            order.cancel("", now)
        elif kind == "initiated":
            assert isinstance(value, GatewayFacts)
            payment.initiated(value, now)

        if before in CAPTURED_STATES:
            assert payment.status in CAPTURED_STATES, f"{before} -> {payment.status} on {kind}"
        if payment.captured_at is not None and captured_at is None:
            captured_at, payable_when_captured = payment.captured_at, was_payable
        assert payment.captured_at == captured_at  # set once, never moved
        assert captures(payment) == (1 if captured_at else 0)

    if captured_at is not None:
        assert order.paid_at is not None
        # Paid while the order still took payment: nothing to give back. Too late: flagged for refund.
        assert payment.refund_due is (not payable_when_captured)
    else:
        assert order.paid_at is None


@given(offsets=st.lists(st.integers(min_value=0, max_value=1500), min_size=1, max_size=40))
def test_the_schedule_never_passes_the_horizon_and_always_moves_forward(offsets: list[int]) -> None:
    for offset in sorted(offsets):
        now = START + timedelta(seconds=offset)
        following = schedule.next_check(START, now)
        if now >= schedule.horizon(START):
            assert following is None
        else:
            assert following is not None
            assert now < following <= schedule.horizon(START)
            assert following >= schedule.first_check(START)


def test_the_schedule_follows_phonepes_steps() -> None:
    def gap(seconds: int) -> float:
        following = schedule.next_check(START, START + timedelta(seconds=seconds))
        assert following is not None
        return (following - START).total_seconds() - seconds

    assert schedule.next_check(START, START) == START + timedelta(seconds=25)
    assert [gap(s) for s in (30, 60, 120, 200, 300)] == [3, 6, 10, 30, 60]
    assert schedule.next_check(START, START + timedelta(minutes=19, seconds=30)) == schedule.horizon(START)
