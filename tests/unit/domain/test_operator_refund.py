"""An operator's refund (``s2cart payments refund``): only a captured attempt, once, within what was paid."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from s2cart.domain.payments.errors import RefundNotAllowed
from s2cart.domain.payments.facts import GatewayState
from s2cart.domain.payments.payment import Action, Payment, PaymentState
from tests.unit.domain.payment_builders import MERCHANT, START, TOTAL, an_attempt, an_order, said

LATER = START + timedelta(minutes=5)


def a_paid_attempt() -> Payment:
    order = an_order()
    payment = an_attempt(order)
    payment.settle(said(GatewayState.SUCCESS, payment), order, MERCHANT, START + timedelta(seconds=30))
    assert payment.status is PaymentState.COMPLETED
    return payment


def test_part_of_a_payment_is_asked_back_and_recorded_with_its_amount() -> None:
    payment = a_paid_attempt()

    payment.refund_by_operator("RFD_1_0000000001", LATER, Decimal("130.50"))

    assert (payment.status, payment.refund_id, payment.refund_amount) == (
        PaymentState.REFUND_PENDING,
        "RFD_1_0000000001",
        Decimal("130.50"),
    )
    assert (payment.records[-1].action, payment.records[-1].amount) == (Action.REFUND, Decimal("130.50"))
    assert payment.amount == TOTAL  # what was paid is unchanged


def test_without_an_amount_the_whole_payment_goes_back() -> None:
    payment = a_paid_attempt()
    payment.refund_by_operator("RFD_1_0000000001", LATER)
    assert payment.refund_amount == TOTAL


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        (TOTAL + Decimal("0.01"), "more than the 1130.00 paid"),
        (Decimal("0"), "not an amount above zero"),
        (Decimal("-1"), "not an amount above zero"),
        (Decimal("0.005"), "whole paise"),
        (Decimal("NaN"), "not an amount"),
    ],
)
def test_an_amount_beyond_what_was_paid_or_not_in_paise_is_refused(amount: Decimal, why: str) -> None:
    payment = a_paid_attempt()
    with pytest.raises(RefundNotAllowed, match=why):
        payment.refund_by_operator("RFD_1_0000000001", LATER, amount)
    assert (payment.status, payment.refund_id, payment.refund_due) == (PaymentState.COMPLETED, None, False)


def test_an_unpaid_or_already_refunding_payment_is_refused() -> None:
    unpaid = an_attempt(an_order())
    with pytest.raises(RefundNotAllowed, match="is PENDING: only a COMPLETED payment"):
        unpaid.refund_by_operator("RFD_1_0000000001", LATER)

    payment = a_paid_attempt()
    payment.refund_by_operator("RFD_1_0000000001", LATER)
    with pytest.raises(RefundNotAllowed, match="already has a refund pending"):
        payment.refund_by_operator("RFD_1_0000000002", LATER)
    payment.refund_answered(said(GatewayState.SUCCESS, payment), LATER)
    with pytest.raises(RefundNotAllowed, match="is REFUNDED"):
        payment.refund_by_operator("RFD_1_0000000003", LATER)


def test_a_refund_the_gateway_refused_may_be_asked_again_by_an_operator() -> None:
    payment = a_paid_attempt()
    payment.refund_by_operator("RFD_1_0000000001", LATER, Decimal("100.00"))
    payment.refund_answered(said(GatewayState.FAILURE, payment), LATER)
    assert payment.refund_refused and payment.refund_amount is None

    payment.refund_by_operator("RFD_1_0000000002", LATER, Decimal("90.00"))

    assert (payment.status, payment.refund_id, payment.refund_amount) == (
        PaymentState.REFUND_PENDING,
        "RFD_1_0000000002",
        Decimal("90.00"),
    )
