from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from s2cart.domain.payments.attempts import MAX_RETRIES, OrderPayments
from s2cart.domain.payments.errors import (
    AlreadyRetried,
    OrderNotPayable,
    PaymentNotFound,
    PaymentNotRetryable,
    RetryLimitReached,
)
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.payments.payment import Payment, PaymentState
from tests.unit.domain.payment_builders import MERCHANT, START, TOTAL, an_order, refs, said


def fail(payment: Payment, order, now) -> None:  # type: ignore[no-untyped-def]
    payment.settle(said(GatewayState.FAILURE, payment), order, MERCHANT, now)


def numbered(book: OrderPayments) -> None:
    for n, attempt in enumerate(book.attempts, start=1):
        attempt.id = attempt.id or n


def test_a_new_attempt_charges_the_order_total_and_supersedes_pending_ones() -> None:
    book = OrderPayments(an_order())
    first = book.open("PAYTM", refs(1), START)
    numbered(book)
    second = book.open("PHONEPE", refs(2), START + timedelta(minutes=1))

    assert (second.amount, second.gateway, second.status) == (TOTAL, "PHONEPE", PaymentState.PENDING)
    assert (first.status, first.failure_reason) == (PaymentState.CANCELLED, "SUPERSEDED")
    assert first.next_check_at is not None  # still watched: a late success is honoured


@pytest.mark.parametrize("change", ["paid", "cancelled", "free"])
def test_only_an_unpaid_live_order_with_something_to_pay_gets_an_attempt(change: str) -> None:
    order = an_order(total=Decimal("0.00") if change == "free" else TOTAL)
    if change == "paid":
        order.mark_paid(START)
    if change == "cancelled":
        order.cancel("", START)
    book = OrderPayments(order)

    with pytest.raises(OrderNotPayable):
        book.open("PAYTM", refs(1), START)
    assert book.attempts == []


def test_retries_start_from_failed_attempts_and_stop_at_the_cap() -> None:
    order = an_order()
    book = OrderPayments(order)
    current = book.open("PAYTM", refs(0), START)
    numbered(book)
    for n in range(1, MAX_RETRIES + 1):
        fail(current, order, START)
        retried = book.retry(current.id or 0, refs(n), START)
        numbered(book)
        assert (retried.retry_of, retried.retry_number, retried.gateway) == (current.id, n, "PAYTM")
        current = retried
    fail(current, order, START)

    with pytest.raises(RetryLimitReached) as refused:
        book.retry(current.id or 0, refs(99), START)
    assert refused.value.code == "PAY_007"
    assert len(book.attempts) == 1 + MAX_RETRIES


def test_a_payment_is_retried_once_and_only_when_failed_or_expired() -> None:
    order = an_order()
    book = OrderPayments(order)
    first = book.open("PAYTM", refs(1), START)
    numbered(book)
    with pytest.raises(PaymentNotRetryable):
        book.retry(1, refs(2), START)  # still pending
    fail(first, order, START)
    book.retry(1, refs(2), START)
    numbered(book)

    with pytest.raises(AlreadyRetried):
        book.retry(1, refs(3), START)
    with pytest.raises(PaymentNotFound):
        book.retry(42, refs(3), START)
    assert len(book.attempts) == 2


def test_a_paid_order_cannot_be_retried() -> None:
    order = an_order()
    book = OrderPayments(order)
    failed = book.open("PAYTM", refs(1), START)
    numbered(book)
    fail(failed, order, START)
    order.mark_paid(START)

    with pytest.raises(OrderNotPayable):
        book.retry(1, refs(2), START)
