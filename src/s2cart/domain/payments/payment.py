"""A payment attempt: one try at collecting an order's total through one gateway, and its life.

    PENDING -> COMPLETED | FAILED | EXPIRED | CANCELLED (superseded by a newer attempt of the order)
    FAILED | EXPIRED | CANCELLED -> COMPLETED        only on a verified late success
    COMPLETED -> REFUND_PENDING -> REFUNDED         (back to COMPLETED when the gateway refuses the refund)

The attempt is the one judge of what a gateway's facts (``GatewayFacts``) mean for it:
- A success counts only when the gateway names this attempt, S2Cart's merchant and exactly this amount (in
  paise); a success that differs in any of them FAILS the attempt with reason AMOUNT_MISMATCH (never fulfil).
- A failure fails it; pending or unknown changes nothing; "no record" expires it once the 20-minute horizon
  (``schedule``) has passed on the caller's clock, and so does a check at the horizon with no final answer.
- A notification (callback, webhook) is a claim: it must agree with the attempt (amount, and the gateway's
  transaction id once known), and only a status read that confirms it (a success judged COMPLETED, a failure
  judged FAILED) may settle the attempt. Disagreement raises ``PaymentMismatch``.
- A capture happens once: ``captured_at`` is set once and there is one capture record, however often a
  success is reported. COMPLETED and the refund states after it are never left for an unpaid state.
- A capture pays the order when the order still accepts payment; otherwise (cancelled, or already paid by
  another attempt) the attempt is flagged for refund.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from s2cart.domain.orders.order import Order
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments import schedule
from s2cart.domain.payments.amounts import rupees, to_paise
from s2cart.domain.payments.errors import PaymentMismatch, RefundNotAllowed
from s2cart.domain.payments.facts import GatewayFacts, GatewayState

# What the client is told: the gateway's token or pay page is good for this long.
TOKEN_TTL = timedelta(minutes=15)
SUPERSEDED = "SUPERSEDED"
GAVE_UP = "NO_FINAL_STATUS"
AMOUNT_MISMATCH = "AMOUNT_MISMATCH"


class PaymentState(StrEnum):
    """What S2Cart believes about an attempt (what the gateway said is ``GatewayState``)."""

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
# What a notification's claim must be judged as, by the status read, to settle anything.
CONFIRMS = {GatewayState.SUCCESS: PaymentState.COMPLETED, GatewayState.FAILURE: PaymentState.FAILED}


class Action(StrEnum):
    INITIATE = "initiate"
    CAPTURE = "capture"
    FAIL = "fail"
    EXPIRE = "expire"
    CANCEL = "cancel"
    REFUND = "refund"


@dataclass
class PaymentRecord:
    """One line of an attempt's history (the contract's ``transactions``): a step and how it came out."""

    action: Action
    status: GatewayState  # SUCCESS, FAILURE or PENDING
    amount: Decimal
    created_at: datetime
    code: str | None = None
    id: int | None = None


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

    @property
    def refund_refused(self) -> bool:
        return self.status is PaymentState.COMPLETED and self.refund_id is not None

    # --- initiation ---------------------------------------------------------------------------------

    def initiated(self, answer: GatewayFacts, now: datetime) -> None:
        """The gateway's answer to initiate: accepted, rejected (FAILED), or unknown (stays PENDING, reconciled)."""
        state = answer.state if answer.state in (GatewayState.SUCCESS, GatewayState.FAILURE) else GatewayState.PENDING
        self._record(Action.INITIATE, state, now, answer.code)
        if state is GatewayState.SUCCESS:
            return
        self.gateway_code, self.gateway_message = answer.code, answer.message
        if state is GatewayState.FAILURE and self.status is PaymentState.PENDING:
            self.status = PaymentState.FAILED
            self.failure_reason = answer.code or "REJECTED"
            self.next_check_at = None

    def supersede(self, now: datetime) -> None:
        """A newer attempt replaces this pending one; a late success is still honoured (so it stays watched)."""
        if self.status is PaymentState.PENDING:
            self.status = PaymentState.CANCELLED
            self.failure_reason = SUPERSEDED
            self._record(Action.CANCEL, GatewayState.SUCCESS, now, SUPERSEDED)

    # --- judging ------------------------------------------------------------------------------------

    def describes_me(self, facts: GatewayFacts, merchant_id: str) -> bool:
        """The gateway talks about this attempt, of S2Cart's merchant, for exactly its amount."""
        return (
            facts.merchant_id == merchant_id
            and facts.gateway_order_id == self.gateway_order_id
            and facts.amount_paise == to_paise(self.amount)
        )

    def verdict(self, facts: GatewayFacts, merchant_id: str, now: datetime) -> tuple[PaymentState, str | None]:
        """What a status read's facts mean for this attempt, at ``now``: the state they lead to and why."""
        if facts.state is GatewayState.SUCCESS:
            if self.describes_me(facts, merchant_id):
                return PaymentState.COMPLETED, None
            return PaymentState.FAILED, AMOUNT_MISMATCH
        if facts.state is GatewayState.FAILURE:
            return PaymentState.FAILED, facts.code or "FAILED"
        if facts.state is GatewayState.NOT_FOUND and schedule.past_horizon(self.created_at, now):
            return PaymentState.EXPIRED, facts.code or "NOT_FOUND"
        return PaymentState.PENDING, None

    def check_claim(self, claim: GatewayFacts) -> None:
        """A notification must agree with the attempt: its amount, and the gateway's transaction id once known."""
        if claim.amount_paise is not None and claim.amount_paise != to_paise(self.amount):
            raise PaymentMismatch("amount")
        known = self.gateway_transaction_id
        if claim.transaction_id and known and claim.transaction_id != known:
            raise PaymentMismatch("transaction id")

    def already_settled_by(self, claim: GatewayFacts) -> bool:
        """A success claimed for an attempt already captured needs no status read."""
        return self.captured and claim.state is GatewayState.SUCCESS

    def confirmed_by(self, claim: GatewayFacts, status: GatewayFacts, merchant_id: str, now: datetime) -> bool:
        """Whether the status read confirms the claim; a status read that disagrees on amount or ids raises."""
        state, reason = self.verdict(status, merchant_id, now)
        if reason == AMOUNT_MISMATCH:
            raise PaymentMismatch("amount (per the status API)")
        if claim.transaction_id and status.transaction_id and claim.transaction_id != status.transaction_id:
            raise PaymentMismatch("transaction id (per the status API)")
        return CONFIRMS.get(claim.state) is state

    # --- settlement ---------------------------------------------------------------------------------

    def settle(self, facts: GatewayFacts, order: Order, merchant_id: str, now: datetime) -> PaymentState | None:
        """Apply a status read's facts, then plan the next check. Returns the state the attempt moved to,
        or None when nothing changed (a repeat, a pending answer, a failure after capture)."""
        if order.id != self.order_id:
            raise ValueError("a payment settles its own order only")
        before = self.status
        self._apply(facts, order, merchant_id, now)
        self.checked(now)
        return self.status if self.status is not before else None

    def _apply(self, facts: GatewayFacts, order: Order, merchant_id: str, now: datetime) -> None:
        if self.captured:
            return
        state, reason = self.verdict(facts, merchant_id, now)
        if state is PaymentState.COMPLETED:
            self._capture(facts, order, now)
        elif self.status is not PaymentState.PENDING:
            # FAILED, EXPIRED and CANCELLED wait for a verified success only; a superseded attempt the
            # gateway calls failed or unknown needs no more watching.
            if state in (PaymentState.FAILED, PaymentState.EXPIRED):
                self.next_check_at = None
        elif state is PaymentState.FAILED:
            self._close(PaymentState.FAILED, Action.FAIL, reason or "FAILED", facts, now)
        elif state is PaymentState.EXPIRED:
            self._close(PaymentState.EXPIRED, Action.EXPIRE, reason or "NOT_FOUND", facts, now)

    def checked(self, now: datetime) -> PaymentState | None:
        """The gateway was asked (or could not be): plan the next question, or give up at the horizon.
        Returns EXPIRED when this check gave up on a PENDING attempt, else None."""
        self.last_checked_at = now
        if self.status not in WATCHED_STATES or self.next_check_at is None:
            self.next_check_at = None
            return None
        self.next_check_at = schedule.next_check(self.created_at, now)
        if self.next_check_at is None and self.status is PaymentState.PENDING:
            self.status = PaymentState.EXPIRED
            self.failure_reason = GAVE_UP
            self._record(Action.EXPIRE, GatewayState.FAILURE, now, GAVE_UP)
            return PaymentState.EXPIRED
        return None

    def _capture(self, facts: GatewayFacts, order: Order, now: datetime) -> None:
        payable = accepts_payment(order)
        self.status = PaymentState.COMPLETED
        self.captured_at = now
        self.failure_reason = None
        self.gateway_transaction_id = facts.transaction_id or self.gateway_transaction_id
        self.payment_type = facts.mode.upper() if facts.mode else self.payment_type
        self._note_gateway(facts)
        self.next_check_at = None
        self._record(Action.CAPTURE, GatewayState.SUCCESS, now, facts.code)
        order.mark_paid(now)  # a no-op when another attempt paid it; flags a cancelled order's refund
        if not payable:
            self.refund_due = True

    def _close(self, state: PaymentState, action: Action, reason: str, facts: GatewayFacts, now: datetime) -> None:
        self.status = state
        self.failure_reason = reason
        self._note_gateway(facts)
        self.next_check_at = None
        self._record(action, GatewayState.FAILURE, now, reason)

    def _note_gateway(self, facts: GatewayFacts) -> None:
        self.gateway_code, self.gateway_message = facts.code, facts.message

    # --- refunds ------------------------------------------------------------------------------------

    def flag_refund(self) -> None:
        if self.captured:
            self.refund_due = True

    def request_refund(self, refund_id: str, now: datetime, amount: Decimal | None = None) -> None:
        """Mark the refund asked for; its request record holds the amount (the whole payment unless given)."""
        if not self.needs_refund:
            raise ValueError("no refund is due on this payment")
        self.status = PaymentState.REFUND_PENDING
        self.refund_id = refund_id
        self._record(Action.REFUND, GatewayState.PENDING, now, amount=self.amount if amount is None else amount)

    def refund_by_operator(self, refund_id: str, now: datetime, amount: Decimal | None = None) -> None:
        """An operator gives back all or part of a captured payment. One refund a payment: a payment refunded
        (or being refunded) is refused; one whose refund the gateway refused may be asked again. The amount is
        whole paise, above zero and at most what was paid."""
        label = f"payment {self.id}"
        if self.status is PaymentState.REFUND_PENDING:
            raise RefundNotAllowed(f"{label} already has a refund pending ({self.refund_id})")
        if self.status is not PaymentState.COMPLETED:
            raise RefundNotAllowed(f"{label} is {self.status.value}: only a COMPLETED payment can be refunded")
        if amount is not None:
            try:
                whole_paise = rupees(amount) == amount
            except ValueError:
                whole_paise = False
            if not whole_paise or amount <= 0:
                raise RefundNotAllowed(f"{amount} is not an amount above zero in whole paise")
            if amount > self.amount:
                raise RefundNotAllowed(f"{amount} is more than the {self.amount} paid")
        self.refund_due = True
        self.refund_id = None  # a refused refund's id stays in the history; this one gets its own
        self.request_refund(refund_id, now, amount)

    @property
    def refund_amount(self) -> Decimal | None:
        """What the refund gives back (or asks for): its request record's amount; None without a refund."""
        if self.status not in (PaymentState.REFUND_PENDING, PaymentState.REFUNDED):
            return None
        asked = [r for r in self.records if r.action is Action.REFUND and r.status is GatewayState.PENDING]
        return asked[-1].amount if asked else self.amount

    def refund_answered(self, answer: GatewayFacts, now: datetime) -> PaymentState | None:
        """The gateway's answer about the refund: success REFUNDED; refused (or no record) back to COMPLETED
        for an operator; pending or unknown changes nothing. Repeats and answers about a settled refund
        change nothing. Returns the state moved to, or None."""
        if self.status is not PaymentState.REFUND_PENDING:
            return None
        if answer.state is GatewayState.SUCCESS:
            self.gateway_refund_id = answer.transaction_id or self.gateway_refund_id
            self.status = PaymentState.REFUNDED
            self.refunded_at = now
            self._record(Action.REFUND, GatewayState.SUCCESS, now, answer.code)
            return self.status
        if answer.state in (GatewayState.FAILURE, GatewayState.NOT_FOUND):
            self.gateway_refund_id = answer.transaction_id or self.gateway_refund_id
            self.status = PaymentState.COMPLETED
            self._record(Action.REFUND, GatewayState.FAILURE, now, answer.code)
            return self.status
        return None

    def _record(
        self,
        action: Action,
        status: GatewayState,
        now: datetime,
        code: str | None = None,
        amount: Decimal | None = None,
    ) -> None:
        self.records.append(PaymentRecord(action, status, self.amount if amount is None else amount, now, code))
        self.updated_at = now
