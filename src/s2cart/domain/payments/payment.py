"""A payment attempt: one try at collecting an order's total through one gateway, and its life.

    PENDING -> COMPLETED | FAILED | EXPIRED | CANCELLED (superseded by a newer attempt of the order)
    FAILED | EXPIRED | CANCELLED -> COMPLETED        only on a verified late success
    COMPLETED -> REFUND_PENDING -> REFUNDED         (back to COMPLETED when the gateway refuses the refund)

- A capture happens once: ``captured_at`` is set once and there is one capture record, however often a
  success is reported.
- COMPLETED and the refund states after it are never left for an unpaid state: a later failure, expiry or
  pending report changes nothing.
- A capture pays the order when the order still accepts payment; otherwise (cancelled, or already paid by
  another attempt) the attempt is flagged for refund.
- Only the status API's verdict (a ``GatewayReport``) moves an attempt; callbacks are hints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from s2cart.domain.orders.order import Order
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments import schedule
from s2cart.domain.payments.status import InitiateOutcome, PaymentStatus, RefundStatus

# What the client is told: the gateway's token or pay page is good for this long.
TOKEN_TTL = timedelta(minutes=15)
SUPERSEDED = "SUPERSEDED"
GAVE_UP = "NO_FINAL_STATUS"


class PaymentState(StrEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"
    REFUND_PENDING = "REFUND_PENDING"
    REFUNDED = "REFUNDED"


CAPTURED_STATES = frozenset({PaymentState.COMPLETED, PaymentState.REFUND_PENDING, PaymentState.REFUNDED})
# States in which the gateway is still asked about the attempt (a superseded one may yet be paid).
WATCHED_STATES = frozenset({PaymentState.PENDING, PaymentState.CANCELLED})


class Action(StrEnum):
    INITIATE = "initiate"
    CAPTURE = "capture"
    FAIL = "fail"
    EXPIRE = "expire"
    CANCEL = "cancel"
    REFUND = "refund"


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    PENDING = "pending"


class Effect(StrEnum):
    NONE = "none"  # nothing changed: a repeat, a pending answer, or a failure after capture
    CAPTURED = "captured"  # this attempt paid the order
    CAPTURED_FOR_REFUND = "captured_for_refund"  # paid, but the order no longer takes payment
    FAILED = "failed"
    EXPIRED = "expired"


@dataclass
class PaymentRecord:
    """One line of an attempt's history (the contract's ``transactions``)."""

    action: Action
    status: Outcome
    amount: Decimal
    created_at: datetime
    code: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class GatewayReport:
    """The status API's verdict, after the adapter compared ids and amount with what was asked."""

    status: PaymentStatus
    reason: str | None = None
    gateway_txn_id: str | None = None
    payment_type: str | None = None
    code: str | None = None
    message: str | None = None


def accepts_payment(order: Order) -> bool:
    """Unpaid and still wanted: not cancelled, returned or refunded."""
    return order.paid_at is None and order.status not in (
        OrderStatus.CANCELLED,
        OrderStatus.RETURNED,
        OrderStatus.REFUNDED,
    )


@dataclass(eq=False)
class Payment:
    user_id: int
    order_id: int
    gateway: str
    transaction_id: str
    gateway_order_id: str
    amount: Decimal
    created_at: datetime
    status: PaymentState = PaymentState.PENDING
    currency: str = "INR"
    retry_of: int | None = None
    retry_number: int | None = None
    payment_type: str | None = None
    gateway_transaction_id: str | None = None
    gateway_code: str | None = None
    gateway_message: str | None = None
    failure_reason: str | None = None
    captured_at: datetime | None = None
    refund_due: bool = False
    refund_id: str | None = None
    refund_status: RefundStatus | None = None
    gateway_refund_id: str | None = None
    refunded_at: datetime | None = None
    last_checked_at: datetime | None = None
    next_check_at: datetime | None = None
    updated_at: datetime | None = None
    records: list[PaymentRecord] = field(default_factory=list)
    id: int | None = None

    @classmethod
    def start(
        cls,
        *,
        user_id: int,
        order_id: int,
        gateway: str,
        transaction_id: str,
        gateway_order_id: str,
        amount: Decimal,
        now: datetime,
        retry_of: int | None = None,
        retry_number: int | None = None,
    ) -> Payment:
        return cls(
            user_id=user_id,
            order_id=order_id,
            gateway=gateway,
            transaction_id=transaction_id,
            gateway_order_id=gateway_order_id,
            amount=amount,
            created_at=now,
            retry_of=retry_of,
            retry_number=retry_number,
            next_check_at=schedule.first_check(now),
            updated_at=now,
        )

    @property
    def expires_at(self) -> datetime:
        return self.created_at + TOKEN_TTL

    @property
    def captured(self) -> bool:
        return self.status in CAPTURED_STATES

    @property
    def needs_refund(self) -> bool:
        """Flagged and not yet asked for (a refund the gateway refused is left to an operator)."""
        return self.status is PaymentState.COMPLETED and self.refund_due and self.refund_id is None

    # --- initiation ---------------------------------------------------------------------------------

    def initiated(self, outcome: InitiateOutcome, now: datetime, code: str | None, message: str | None) -> None:
        """What the gateway said to the initiate call. An unknown outcome stays PENDING for reconciliation."""
        status = {
            InitiateOutcome.ACCEPTED: Outcome.SUCCESS,
            InitiateOutcome.REJECTED: Outcome.FAILURE,
            InitiateOutcome.UNKNOWN: Outcome.PENDING,
        }[outcome]
        self._record(Action.INITIATE, status, now, code)
        if outcome is not InitiateOutcome.ACCEPTED:
            self.gateway_code, self.gateway_message = code, message
        if outcome is InitiateOutcome.REJECTED and self.status is PaymentState.PENDING:
            self.status = PaymentState.FAILED
            self.failure_reason = code or "REJECTED"
            self.next_check_at = None

    def supersede(self, now: datetime) -> None:
        """A newer attempt replaces this pending one; a late success is still honoured (so it stays watched)."""
        if self.status is PaymentState.PENDING:
            self.status = PaymentState.CANCELLED
            self.failure_reason = SUPERSEDED
            self._record(Action.CANCEL, Outcome.SUCCESS, now, SUPERSEDED)

    # --- settlement ---------------------------------------------------------------------------------

    def apply(self, report: GatewayReport, order: Order, now: datetime) -> Effect:
        if order.id != self.order_id:
            raise ValueError("a payment settles its own order only")
        if self.captured:
            return Effect.NONE
        if report.status is PaymentStatus.COMPLETED:
            return self._capture(report, order, now)
        if self.status is not PaymentState.PENDING:
            # FAILED, EXPIRED and CANCELLED wait for a verified success only; a superseded attempt the
            # gateway calls failed or unknown needs no more watching.
            if report.status in (PaymentStatus.FAILED, PaymentStatus.EXPIRED):
                self.next_check_at = None
            return Effect.NONE
        if report.status is PaymentStatus.FAILED:
            self._close(PaymentState.FAILED, Action.FAIL, report.reason or report.code or "FAILED", report, now)
            return Effect.FAILED
        if report.status is PaymentStatus.EXPIRED:
            self._close(PaymentState.EXPIRED, Action.EXPIRE, report.code or "NOT_FOUND", report, now)
            return Effect.EXPIRED
        return Effect.NONE

    def checked(self, now: datetime) -> Effect:
        """The gateway was asked (or could not be): plan the next question, or give up at the horizon."""
        self.last_checked_at = now
        if self.status not in WATCHED_STATES or self.next_check_at is None:
            self.next_check_at = None
            return Effect.NONE
        self.next_check_at = schedule.next_check(self.created_at, now)
        if self.next_check_at is None and self.status is PaymentState.PENDING:
            self.status = PaymentState.EXPIRED
            self.failure_reason = GAVE_UP
            self._record(Action.EXPIRE, Outcome.FAILURE, now, GAVE_UP)
            self.updated_at = now
            return Effect.EXPIRED
        return Effect.NONE

    def _capture(self, report: GatewayReport, order: Order, now: datetime) -> Effect:
        payable = accepts_payment(order)
        self.status = PaymentState.COMPLETED
        self.captured_at = now
        self.failure_reason = None
        self.gateway_transaction_id = report.gateway_txn_id or self.gateway_transaction_id
        self.payment_type = report.payment_type or self.payment_type
        self.gateway_code, self.gateway_message = report.code, report.message
        self.next_check_at = None
        self._record(Action.CAPTURE, Outcome.SUCCESS, now, report.code)
        order.mark_paid(now)  # a no-op when another attempt paid it; flags a cancelled order's refund
        if payable:
            return Effect.CAPTURED
        self.refund_due = True
        return Effect.CAPTURED_FOR_REFUND

    def _close(self, state: PaymentState, action: Action, reason: str, report: GatewayReport, now: datetime) -> None:
        self.status = state
        self.failure_reason = reason
        self.gateway_code, self.gateway_message = report.code, report.message
        self.next_check_at = None
        self._record(action, Outcome.FAILURE, now, reason)

    # --- refunds ------------------------------------------------------------------------------------

    def flag_refund(self) -> None:
        if self.captured:
            self.refund_due = True

    def request_refund(self, refund_id: str, now: datetime) -> None:
        if not self.needs_refund:
            raise ValueError("no refund is due on this payment")
        self.status = PaymentState.REFUND_PENDING
        self.refund_id = refund_id
        self.refund_status = RefundStatus.PENDING
        self._record(Action.REFUND, Outcome.PENDING, now)

    def refund_settled(
        self, status: RefundStatus, now: datetime, code: str | None = None, gateway_refund_id: str | None = None
    ) -> None:
        """The gateway's answer about the refund; repeats and answers about a settled refund change nothing."""
        if self.status is not PaymentState.REFUND_PENDING or status is RefundStatus.PENDING:
            return
        self.refund_status = status
        self.gateway_refund_id = gateway_refund_id or self.gateway_refund_id
        if status is RefundStatus.COMPLETED:
            self.status = PaymentState.REFUNDED
            self.refunded_at = now
            self._record(Action.REFUND, Outcome.SUCCESS, now, code)
        else:
            self.status = PaymentState.COMPLETED
            self._record(Action.REFUND, Outcome.FAILURE, now, code)

    def _record(self, action: Action, status: Outcome, now: datetime, code: str | None = None) -> None:
        self.records.append(PaymentRecord(action, status, self.amount, now, code))
        self.updated_at = now
