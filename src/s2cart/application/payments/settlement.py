"""Settlement: the one path by which a gateway's verdict changes an attempt (callbacks, polls, reconcile).

- The status API is asked outside any transaction; its verdict is applied inside one that locks the
  order and then all its attempts, so parallel deliveries of one verdict apply once and the rest are
  no-ops (``Effect.NONE``).
- A capture marks the order paid, or flags the attempt for refund when the order no longer takes payment.
- Every check plans the next one (PhonePe's schedule); at the 20-minute horizon a PENDING attempt expires.
- When the gateway cannot be asked, the attempt keeps its state and the check is planned again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from s2cart.application.errors import GatewayError
from s2cart.application.payments.gateways import Gateways
from s2cart.application.ports.metrics import NO_METRICS, PaymentMetrics
from s2cart.application.ports.payment_records import Notification
from s2cart.application.ports.payments import StatusQuery, StatusResult
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWork, UnitOfWorkFactory
from s2cart.domain.orders.order import Order
from s2cart.domain.payments.errors import PaymentNotFound
from s2cart.domain.payments.payment import Effect, GatewayReport, Payment

logger = logging.getLogger("s2cart.payments")


def report_of(result: StatusResult) -> GatewayReport:
    return GatewayReport(
        status=result.status,
        reason=result.reason,
        gateway_txn_id=result.gateway_txn_id,
        payment_type=result.payment_mode.upper()[:30] if result.payment_mode else None,
        code=result.gateway_code,
        message=(result.gateway_message or "")[:255] or None,
    )


def status_query(payment: Payment) -> StatusQuery:
    return StatusQuery(payment.gateway_order_id, payment.amount, payment.created_at)


@dataclass(frozen=True)
class Settled:
    effect: Effect
    payment: Payment


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


class Settlement:
    def __init__(
        self, uow: UnitOfWorkFactory, gateways: Gateways, clock: Clock, *, metrics: PaymentMetrics = NO_METRICS
    ) -> None:
        self._uow = uow
        self._gateways = gateways
        self._clock = clock
        self._metrics = metrics

    async def apply(self, payment_id: int, report: GatewayReport, notification: Notification | None = None) -> Settled:
        now = self._clock.now()
        async with self._uow() as uow:
            order, _, payment = await lock_attempts(uow, payment_id)
            effect = payment.apply(report, order, now)
            gave_up = payment.checked(now)  # a still-pending answer at the horizon expires the attempt
            effect = gave_up if effect is Effect.NONE else effect
            await uow.payments.save(payment)
            if effect in (Effect.CAPTURED, Effect.CAPTURED_FOR_REFUND):
                await uow.orders.save_status(order)
            if notification is not None:
                result = "already_processed" if effect is Effect.NONE else "applied"
                await uow.payments.record_notification(
                    Notification(**{**notification.__dict__, "result": result, "payment_id": payment_id})
                )
            await uow.commit()
        if effect is not Effect.NONE:
            self._metrics.payment_settled(payment.gateway, payment.status.value)
            logger.info("payment %s (%s): %s -> %s", payment_id, payment.gateway_order_id, effect, payment.status)
        if effect is Effect.CAPTURED_FOR_REFUND:
            logger.warning("payment %s captured for an order that no longer takes payment: refund due", payment_id)
        return Settled(effect, payment)

    async def check(self, payment_id: int) -> Settled:
        """Ask the gateway about a watched attempt and apply what it says."""
        async with self._uow() as uow:
            payment = await uow.payments.get(payment_id)
        if payment is None:
            raise PaymentNotFound()
        gateway = self._gateways.get(payment.gateway)
        if gateway is None:
            logger.warning("payment %s: %s is not enabled; not checked", payment_id, payment.gateway)
            return Settled(Effect.NONE, payment)
        try:
            result = await gateway.fetch_status(status_query(payment))
        except GatewayError as exc:
            logger.warning("payment %s: status unavailable (%s)", payment_id, exc.code)
            return await self._unanswered(payment_id)
        return await self.apply(payment_id, report_of(result))

    async def _unanswered(self, payment_id: int) -> Settled:
        now = self._clock.now()
        async with self._uow() as uow:
            _, _, payment = await lock_attempts(uow, payment_id)
            effect = payment.checked(now)
            await uow.payments.save(payment)
            await uow.commit()
        if effect is not Effect.NONE:
            self._metrics.payment_settled(payment.gateway, payment.status.value)
        return Settled(effect, payment)
