"""All payment attempts of one order: where new attempts start and where the retry cap lives.

- Only an order that accepts payment (unpaid; not cancelled, returned or refunded) gets a new attempt,
  and only for a positive amount: the order's total at that moment.
- A new attempt supersedes every PENDING one (they become CANCELLED but stay watched, so a late
  success is still honoured).
- A retry starts from a FAILED or EXPIRED attempt that has not been retried yet; an order gets at most
  ``MAX_RETRIES`` retries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from s2cart.domain.orders.order import Order
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.errors import (
    AlreadyRetried,
    OrderNotPayable,
    PaymentNotFound,
    PaymentNotRetryable,
    RetryLimitReached,
)
from s2cart.domain.payments.payment import Payment, PaymentState, accepts_payment

MAX_RETRIES = 3
RETRYABLE = frozenset({PaymentState.FAILED, PaymentState.EXPIRED})


@dataclass(frozen=True)
class References:
    """S2Cart's transaction id and the gateway-side id of a new attempt (both unique)."""

    transaction_id: str
    gateway_order_id: str


@dataclass
class OrderPayments:
    order: Order
    attempts: list[Payment] = field(default_factory=list)

    def __post_init__(self) -> None:
        if any(p.order_id != self.order.id for p in self.attempts):
            raise ValueError("attempts of another order")

    def find(self, payment_id: int) -> Payment:
        found = next((p for p in self.attempts if p.id == payment_id), None)
        if found is None:
            raise PaymentNotFound()
        return found

    @property
    def retries(self) -> int:
        return sum(1 for p in self.attempts if p.retry_of is not None)

    def open(self, gateway: str, refs: References, now: datetime) -> Payment:
        return self._open(gateway, refs, now)

    def retry(self, payment_id: int, refs: References, now: datetime) -> Payment:
        previous = self.find(payment_id)
        if previous.status not in RETRYABLE:
            raise PaymentNotRetryable(previous.status.value)
        if any(p.retry_of == payment_id for p in self.attempts):
            raise AlreadyRetried()
        self._check_payable()
        if self.retries >= MAX_RETRIES:
            raise RetryLimitReached(MAX_RETRIES)
        return self._open(previous.gateway, refs, now, retry_of=payment_id, retry_number=self.retries + 1)

    def _check_payable(self) -> None:
        if accepts_payment(self.order):
            return
        if self.order.paid_at is not None:
            raise OrderNotPayable("This order is already paid.")
        if self.order.status is OrderStatus.CANCELLED:
            raise OrderNotPayable("This order is cancelled.")
        raise OrderNotPayable(f"An order that is {self.order.status.value} cannot be paid.")

    def _open(
        self,
        gateway: str,
        refs: References,
        now: datetime,
        retry_of: int | None = None,
        retry_number: int | None = None,
    ) -> Payment:
        self._check_payable()
        amount = self.order.totals.total_amount
        if amount <= 0:
            raise OrderNotPayable("This order has nothing to pay.")
        assert self.order.id is not None
        for attempt in self.attempts:
            attempt.supersede(now)
        payment = Payment.start(
            user_id=self.order.user_id,
            order_id=self.order.id,
            gateway=gateway,
            transaction_id=refs.transaction_id,
            gateway_order_id=refs.gateway_order_id,
            amount=amount,
            now=now,
            retry_of=retry_of,
            retry_number=retry_number,
        )
        self.attempts.append(payment)
        return payment
