"""ReconcilePayments: close what callbacks did not (``s2cart payments reconcile``, run every minute or so)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from s2cart.application.payments.refunds import Refunds
from s2cart.application.payments.settlement import Settlement
from s2cart.application.ports.metrics import NO_METRICS, PaymentMetrics
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.payments.payment import PaymentState

logger = logging.getLogger("s2cart.payments")


@dataclass
class ReconcileReport:
    checked: int = 0
    captured: int = 0
    failed: int = 0
    expired: int = 0
    refunds_requested: int = 0
    refunds_completed: int = 0


class ReconcilePayments:
    """- Watched attempts (PENDING, and superseded ones that may yet be paid) whose next check is due
      are asked about at their gateway, on PhonePe's schedule, through the same idempotent path as
      callbacks; at the 20-minute horizon a PENDING attempt that never settled becomes EXPIRED.
    - Captured attempts owed back (paid too late or twice, or of a cancelled order) are refunded, and
      pending refunds are followed up.
    - One attempt's trouble (a gateway down) never stops the rest; running it twice at once is safe.
    - No customer waits on it, so its gateway calls keep the adapters' own (long) timeouts, with no deadline."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        settlement: Settlement,
        refunds: Refunds,
        clock: Clock,
        batch: int = 200,
        *,
        metrics: PaymentMetrics = NO_METRICS,
    ) -> None:
        self._uow = uow
        self._settlement = settlement
        self._refunds = refunds
        self._clock = clock
        self._batch = batch
        self._metrics = metrics

    async def __call__(self) -> ReconcileReport:
        report = ReconcileReport()
        async with self._uow() as uow:
            due = await uow.payments.due_for_check(self._clock.now(), self._batch)
        for payment_id in due:
            settled = await self._settlement.check(payment_id)
            report.checked += 1
            if settled.moved_to is PaymentState.COMPLETED:
                report.captured += 1
            elif settled.moved_to is PaymentState.FAILED:
                report.failed += 1
            elif settled.moved_to is PaymentState.EXPIRED:
                report.expired += 1
        async with self._uow() as uow:
            owed = await uow.payments.refunds_to_request(self._batch)
            pending = await uow.payments.refunds_pending(self._batch)
        for payment_id in owed:
            refunded = await self._refunds.refund(payment_id)
            report.refunds_requested += refunded is not None
            report.refunds_completed += refunded is not None and refunded.status is PaymentState.REFUNDED
        for payment_id in pending:
            followed = await self._refunds.follow_up(payment_id)
            report.refunds_completed += followed is not None and followed.status is PaymentState.REFUNDED
        if report != ReconcileReport():
            logger.info("reconcile: %s", report)
        self._metrics.reconcile_finished()
        return report
