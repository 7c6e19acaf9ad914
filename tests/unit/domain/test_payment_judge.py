"""The Payment as the one judge of what a gateway said (GatewayFacts): no I/O, the caller's clock."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.payments import schedule
from s2cart.domain.payments.amounts import MAX_PAISE, reported_paise, to_paise
from s2cart.domain.payments.errors import PaymentMismatch
from s2cart.domain.payments.facts import GatewayFacts, GatewayState
from s2cart.domain.payments.payment import AMOUNT_MISMATCH, Payment, PaymentState
from tests.unit.domain.payment_builders import MERCHANT, START, an_attempt, an_order, said

states = st.sampled_from(list(GatewayState))
ages = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3))
# Which detail of a status read differs from the attempt, if any.
differences = st.sampled_from([None, "merchant_id", "gateway_order_id", "amount_paise", "no_amount"])


def attempt() -> Payment:
    return an_attempt(an_order())


def read(state: GatewayState, payment: Payment, difference: str | None) -> GatewayFacts:
    changed: dict[str, object] = {
        None: {},
        "merchant_id": {"merchant_id": "SOMEONE_ELSE"},
        "gateway_order_id": {"gateway_order_id": "ORD_PAYTM_7_9999999999"},
        "amount_paise": {"amount_paise": to_paise(payment.amount) - 1},
        "no_amount": {"amount_paise": None},
    }[difference]  # type: ignore[index]
    return said(state, payment, **changed)  # type: ignore[arg-type]


@given(state=states, difference=differences, age=ages)
def test_only_a_success_naming_this_attempt_merchant_and_amount_completes(
    state: GatewayState, difference: str | None, age: timedelta
) -> None:
    payment = attempt()
    verdict, reason = payment.verdict(read(state, payment, difference), MERCHANT, START + age)
    assert (verdict is PaymentState.COMPLETED) == (state is GatewayState.SUCCESS and difference is None)
    if state is GatewayState.SUCCESS and difference is not None:
        assert (verdict, reason) == (PaymentState.FAILED, AMOUNT_MISMATCH)


@given(state=st.sampled_from([GatewayState.PENDING, GatewayState.UNKNOWN]), difference=differences, age=ages)
def test_pending_or_unknown_never_fails_nor_expires(
    state: GatewayState, difference: str | None, age: timedelta
) -> None:
    payment = attempt()
    assert payment.verdict(read(state, payment, difference), MERCHANT, START + age) == (PaymentState.PENDING, None)


@given(state=states, age=ages)
def test_expiry_needs_no_record_and_the_same_horizon_the_schedule_gives_up_at(
    state: GatewayState, age: timedelta
) -> None:
    payment = attempt()
    now = START + age
    verdict, _ = payment.verdict(said(state, payment), MERCHANT, now)
    gives_up = schedule.next_check(payment.created_at, now) is None
    assert (verdict is PaymentState.EXPIRED) == (state is GatewayState.NOT_FOUND and gives_up)


def test_no_record_is_pending_just_inside_the_window_and_expired_at_its_edge() -> None:
    payment = attempt()
    no_record = said(GatewayState.NOT_FOUND, payment)
    inside = payment.verdict(no_record, MERCHANT, START + timedelta(minutes=19, seconds=59))
    at_edge = payment.verdict(no_record, MERCHANT, schedule.horizon(START))
    assert (inside, at_edge) == ((PaymentState.PENDING, None), (PaymentState.EXPIRED, "331"))


def test_a_failure_fails_with_the_gateways_code_not_a_mismatch() -> None:
    payment = attempt()
    assert payment.verdict(said(GatewayState.FAILURE, payment), MERCHANT, START) == (PaymentState.FAILED, "227")


def test_naive_times_are_refused() -> None:
    payment = attempt()
    with pytest.raises(ValueError, match="timezone"):
        payment.verdict(said(GatewayState.NOT_FOUND, payment), MERCHANT, START.replace(tzinfo=None))


@given(paise=st.integers(min_value=0, max_value=10**15))
def test_a_claim_must_carry_the_attempts_exact_amount(paise: int) -> None:
    payment = attempt()
    claim = GatewayFacts("PAYTM", GatewayState.SUCCESS, payment.gateway_order_id, MERCHANT, amount_paise=paise)
    if paise == to_paise(payment.amount):
        payment.check_claim(claim)
    else:
        with pytest.raises(PaymentMismatch) as mismatch:
            payment.check_claim(claim)
        assert mismatch.value.what == "amount"


def test_a_claim_naming_another_gateway_transaction_than_the_known_one_is_a_mismatch() -> None:
    order = an_order()
    payment = an_attempt(order)
    claim = GatewayFacts("PAYTM", GatewayState.SUCCESS, payment.gateway_order_id, MERCHANT, transaction_id="OTHER")
    payment.check_claim(claim)  # nothing known yet: the status read decides
    payment.settle(said(GatewayState.SUCCESS, payment), order, MERCHANT, START)
    with pytest.raises(PaymentMismatch) as mismatch:
        payment.check_claim(claim)
    assert mismatch.value.what == "transaction id"


@pytest.mark.parametrize(
    ("claimed", "status", "confirmed"),
    [
        (GatewayState.SUCCESS, GatewayState.SUCCESS, True),
        (GatewayState.FAILURE, GatewayState.FAILURE, True),
        (GatewayState.SUCCESS, GatewayState.PENDING, False),
        (GatewayState.SUCCESS, GatewayState.FAILURE, False),
        (GatewayState.FAILURE, GatewayState.SUCCESS, False),
        (GatewayState.PENDING, GatewayState.PENDING, False),  # only a success or a failure can be confirmed
        (GatewayState.UNKNOWN, GatewayState.SUCCESS, False),
    ],
)
def test_a_claim_is_believed_only_when_the_status_read_is_judged_the_same(
    claimed: GatewayState, status: GatewayState, confirmed: bool
) -> None:
    payment = attempt()
    claim = GatewayFacts("PAYTM", claimed, payment.gateway_order_id, MERCHANT)
    assert payment.confirmed_by(claim, said(status, payment), MERCHANT, START) is confirmed


@pytest.mark.parametrize(
    ("difference", "what"),
    [("amount_paise", "amount (per the status API)"), ("merchant_id", "amount (per the status API)")],
)
def test_a_status_read_that_contradicts_a_success_claim_is_a_mismatch(difference: str, what: str) -> None:
    payment = attempt()
    claim = GatewayFacts("PAYTM", GatewayState.SUCCESS, payment.gateway_order_id, MERCHANT)
    with pytest.raises(PaymentMismatch) as mismatch:
        payment.confirmed_by(claim, read(GatewayState.SUCCESS, payment, difference), MERCHANT, START)
    assert mismatch.value.what == what
    other_txn = said(GatewayState.SUCCESS, payment, transaction_id="T2")
    with pytest.raises(PaymentMismatch) as mismatch:
        payment.confirmed_by(
            GatewayFacts("PAYTM", GatewayState.SUCCESS, payment.gateway_order_id, MERCHANT, transaction_id="T1"),
            other_txn,
            MERCHANT,
            START,
        )
    assert mismatch.value.what == "transaction id (per the status API)"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (GatewayState.SUCCESS, PaymentState.REFUNDED),
        (GatewayState.FAILURE, PaymentState.COMPLETED),
        (GatewayState.NOT_FOUND, PaymentState.COMPLETED),
        (GatewayState.PENDING, PaymentState.REFUND_PENDING),
        (GatewayState.UNKNOWN, PaymentState.REFUND_PENDING),
    ],
)
def test_what_a_refund_answer_means(answer: GatewayState, expected: PaymentState) -> None:
    order = an_order()
    payment = an_attempt(order)
    payment.settle(said(GatewayState.SUCCESS, payment), order, MERCHANT, START)
    payment.flag_refund()
    payment.request_refund("RFD_1_0000000001", START)
    payment.refund_answered(GatewayFacts("PAYTM", answer), START)
    assert payment.status is expected


@given(amount=st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2))
def test_reported_amounts_are_exact_paise_from_rupee_text_or_integers(amount: Decimal) -> None:
    paise = to_paise(amount)
    assert reported_paise(f"{amount:.2f}") == paise == reported_paise(paise)


@pytest.mark.parametrize(
    "value", ["1e30", "1E+400", "NaN", "-Infinity", "1.005", "-1.00", "", "abc", 1.5, True, -1, MAX_PAISE + 1, None]
)
def test_anything_else_is_no_amount(value: object) -> None:
    assert reported_paise(value) is None


def test_facts_refuse_a_negative_or_boolean_amount() -> None:
    for bad in (-1, True):
        with pytest.raises(ValueError, match="amount_paise"):
            GatewayFacts("PAYTM", GatewayState.SUCCESS, amount_paise=bad)
