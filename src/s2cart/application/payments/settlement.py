"""Settlement: the one path by which a gateway's status read changes an attempt (callbacks, polls, reconcile).

- The status API is asked outside any transaction; its facts are judged by the attempt inside one that
  locks the order and then all its attempts, so parallel deliveries of one answer apply once and the rest
  change nothing (``Settled.moved_to`` is None).
- A capture marks the order paid and issues its tax invoice in the same transaction (decision 0037), or flags
  the attempt for refund when the order no longer takes payment.
- Every check plans the next one (PhonePe's schedule); at the 20-minute horizon a PENDING attempt expires.
- When the gateway cannot be asked (or the request's deadline passes), the attempt keeps its state and the
  check is planned again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from s2cart.application.errors import GatewayError
from s2cart.application.invoices.issuing import invoice_paid_order
from s2cart.application.payments.deadline import UNBOUNDED, Budget
from s2cart.application.payments.gateways import Gateways
from s2cart.application.ports.metrics import NO_METRICS, PaymentMetrics
from s2cart.application.ports.payment_records import Notification
from s2cart.application.ports.payments import PaymentGateway, StatusQuery
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWork, UnitOfWorkFactory
from s2cart.domain.orders.order import Order
from s2cart.domain.payments.errors import PaymentNotFound
from s2cart.domain.payments.facts import GatewayFacts
from s2cart.domain.payments.payment import AMOUNT_MISMATCH, Payment, PaymentState, accepts_payment

logger = logging.getLogger("s2cart.payments")


@dataclass(frozen=True)
class Settled:
    moved_to: PaymentState | None  # None: nothing changed
    payment: Payment

    @property
    def captured(self) -> bool:
        return self.moved_to is PaymentState.COMPLETED


async def lock_attempts(uow: UnitOfWork, payment_id: int) -> tuple[Order, list[Payment], Payment]:
    """The attempt's order and every attempt of it, locked in that order (the one order all writers use)."""
    found = await uow.payments.get(payment_id)
    if found is None:
        raise PaymentNotFound()
    order = await uow.orders.get(found.user_id, found.order_id)
    if order is None:
        raise PaymentNotFound()
    attempts = await uow.payments.of_order(found.order_id)
    payment = next(p for p in attempts if p.id == payment_id)
    return order, attempts, payment


async def fetch_status(gateway: PaymentGateway, payment: Payment, budget: Budget = UNBOUNDED) -> GatewayFacts:
    """The gateway's status read of the attempt, within the request's budget (raises ``GatewayError``)."""
    return await budget.run(gateway.name, gateway.fetch_status(StatusQuery(payment.gateway_order_id)))


class Settlement:
    def __init__(
        self, uow: UnitOfWorkFactory, gateways: Gateways, clock: Clock, *, metrics: PaymentMetrics = NO_METRICS
    ) -> None:
        self._uow = uow
        self._gateways = gateways
        self._clock = clock
        self._metrics = metrics

    async def apply(
        self, payment_id: int, facts: GatewayFacts, merchant_id: str, notification: Notification | None = None
    ) -> Settled:
        now = self._clock.now()
        async with self._uow() as uow:
            order, _, payment = await lock_attempts(uow, payment_id)
            payable = accepts_payment(order)  # unpaid and still wanted: not cancelled, returned or refunded
            moved_to = payment.settle(facts, order, merchant_id, now)
            await uow.payments.save(payment)
            if moved_to is PaymentState.COMPLETED:
                await uow.orders.save_status(order)
                if payable and order.paid_at is not None:
                    await invoice_paid_order(uow, order, now)  # in this transaction (decision 0037)
            if notification is not None:
                result = "already_processed" if moved_to is None else "applied"
                await uow.payments.record_notification(
                    Notification(**{**notification.__dict__, "result": result, "payment_id": payment_id})
                )
            await uow.commit()
        if moved_to is not None:
            self._metrics.payment_settled(payment.gateway, moved_to.value)
            logger.info("payment %s (%s): -> %s", payment_id, payment.gateway_order_id, moved_to)
        if moved_to is PaymentState.FAILED and payment.failure_reason == AMOUNT_MISMATCH:
            logger.error(
                "payment %s: %s reported success for another merchant, id or amount (%s, %s paise); not fulfilled",
                payment_id,
                facts.gateway,
                facts.gateway_order_id,
                facts.amount_paise,
            )
        if moved_to is PaymentState.COMPLETED and payment.refund_due:
            logger.warning("payment %s captured for an order that no longer takes payment: refund due", payment_id)
        return Settled(moved_to, payment)

    async def check(self, payment_id: int, budget: Budget = UNBOUNDED) -> Settled:
        """Ask the gateway about a watched attempt and apply what it says."""
        async with self._uow() as uow:
            payment = await uow.payments.get(payment_id)
        if payment is None:
            raise PaymentNotFound()
        gateway = self._gateways.get(payment.gateway)
        if gateway is None:
            logger.warning("payment %s: %s is not enabled; not checked", payment_id, payment.gateway)
            return Settled(None, payment)
        try:
            facts = await fetch_status(gateway, payment, budget)
        except GatewayError as exc:
            logger.warning("payment %s: status unavailable (%s)", payment_id, exc.detail or exc.code)
            return await self._unanswered(payment_id)
        return await self.apply(payment_id, facts, gateway.merchant_id)

    async def _unanswered(self, payment_id: int) -> Settled:
        now = self._clock.now()
        async with self._uow() as uow:
            _, _, payment = await lock_attempts(uow, payment_id)
            moved_to = payment.checked(now)  # EXPIRED when this check gave up at the horizon
            await uow.payments.save(payment)
            await uow.commit()
        if moved_to is not None:
            self._metrics.payment_settled(payment.gateway, moved_to.value)
        return Settled(moved_to, payment)
