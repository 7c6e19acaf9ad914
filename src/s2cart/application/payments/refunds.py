"""Refunds: give back a captured attempt's money through its gateway.

- An operator may refund all or part of a captured attempt (``refund_by_operator``, ``s2cart payments
  refund``); it then goes the same way as the owed ones below.
- Owed: an attempt flagged for refund (paid too late, or twice) or any captured attempt of a cancelled order.
- The attempt is marked REFUND_PENDING, with its refund id, and committed before the gateway is asked,
  so a crash or a lost reply leaves a refund to follow up, never a second one.
- Within a customer's request a refund is asked for only with at least a second of the gateway deadline
  left; otherwise it stays owed and the reconciler asks for it.
- The gateway's answer, judged by the attempt: success REFUNDED; pending or unknown (or no answer within
  the request's gateway deadline) stays REFUND_PENDING (its status is asked later); refused goes back to
  COMPLETED with the refusal recorded, for an operator (never retried blindly).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from s2cart.application.errors import GatewayError, GatewayUnavailable
from s2cart.application.payments.deadline import UNBOUNDED, Budget
from s2cart.application.payments.gateways import Gateways
from s2cart.application.payments.references import refund_reference
from s2cart.application.payments.settlement import lock_attempts
from s2cart.application.ports.metrics import NO_METRICS, PaymentMetrics
from s2cart.application.ports.payments import PaymentGateway, RefundRequest, RefundStatusQuery
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.errors import RefundNotAllowed
from s2cart.domain.payments.facts import GatewayFacts
from s2cart.domain.payments.payment import Payment, PaymentState

logger = logging.getLogger("s2cart.payments")

# The refunds metric's state label for where an answer moved the attempt: REFUNDED is a COMPLETED refund,
# back to COMPLETED is a refund the gateway refused (FAILED). REQUESTED is counted when it is asked for.
REFUND_OUTCOMES = {PaymentState.REFUNDED: "COMPLETED", PaymentState.COMPLETED: "FAILED"}


class Refunds:
    def __init__(
        self, uow: UnitOfWorkFactory, gateways: Gateways, clock: Clock, *, metrics: PaymentMetrics = NO_METRICS
    ) -> None:
        self._uow = uow
        self._gateways = gateways
        self._clock = clock
        self._metrics = metrics

    async def refund(self, payment_id: int, budget: Budget = UNBOUNDED) -> Payment | None:
        """Ask for the refund of an attempt that needs one; None when it needs none (or its gateway is off)."""
        async with self._uow() as uow:
            order, _, payment = await lock_attempts(uow, payment_id)
            if order.status is OrderStatus.CANCELLED:
                payment.flag_refund()  # however it was cancelled: by the customer, or an operator
            gateway = self._gateways.get(payment.gateway)
            if not payment.needs_refund or gateway is None:
                return None
            if not budget.allows_write():  # too little time left: the reconciler asks for it, still owed
                logger.info("refund of payment %s left to the reconciler (gateway deadline)", payment_id)
                return None
            payment.request_refund(refund_reference(payment_id), self._clock.now())
            await uow.payments.save(payment)
            await uow.commit()
        return await self._ask(payment_id, payment, gateway, budget)

    async def refund_by_operator(self, payment_id: int, amount: Decimal | None = None) -> Payment:
        """An operator's refund of all (``amount`` None) or part of a captured attempt, whatever its order's
        state: the attempt's rules judge it (``Payment.refund_by_operator``), then it goes like any other."""
        async with self._uow() as uow:
            _, _, payment = await lock_attempts(uow, payment_id)
            gateway = self._gateways.get(payment.gateway)
            if gateway is None:
                raise RefundNotAllowed(f"the {payment.gateway} gateway is not configured here")
            payment.refund_by_operator(refund_reference(payment_id), self._clock.now(), amount)
            await uow.payments.save(payment)
            await uow.commit()
        return await self._ask(payment_id, payment, gateway, UNBOUNDED)

    async def _ask(self, payment_id: int, payment: Payment, gateway: PaymentGateway, budget: Budget) -> Payment:
        """The refund is committed as asked for: now ask the gateway, and record its answer."""
        self._metrics.refund_changed(payment.gateway, "REQUESTED")
        assert payment.refund_id is not None and payment.refund_amount is not None
        request = RefundRequest(
            refund_id=payment.refund_id,
            gateway_order_id=payment.gateway_order_id,
            gateway_txn_id=payment.gateway_transaction_id or payment.gateway_order_id,
            amount=payment.refund_amount,
            customer_id=f"USER_{payment.user_id}",
        )
        try:
            answer = await budget.run(gateway.name, gateway.refund(request))
        except GatewayUnavailable as exc:  # the deadline passed: the refund may be registered; followed up later
            answer = GatewayFacts.unanswered(gateway.name, exc.detail)
        return await self._record(payment_id, answer)

    async def follow_up(self, payment_id: int) -> Payment | None:
        """Ask the gateway how a pending refund went."""
        async with self._uow() as uow:
            payment = await uow.payments.get(payment_id)
        if payment is None or payment.status is not PaymentState.REFUND_PENDING or payment.refund_id is None:
            return payment
        gateway = self._gateways.get(payment.gateway)
        if gateway is None:
            return payment
        try:
            answer = await gateway.fetch_refund_status(RefundStatusQuery(payment.refund_id, payment.gateway_order_id))
        except GatewayError as exc:
            logger.warning("refund of payment %s: status unavailable (%s)", payment_id, exc.code)
            return payment
        return await self._record(payment_id, answer)

    async def _record(self, payment_id: int, answer: GatewayFacts) -> Payment:
        async with self._uow() as uow:
            _, _, payment = await lock_attempts(uow, payment_id)
            moved_to = payment.refund_answered(answer, self._clock.now())
            await uow.payments.save(payment)
            await uow.commit()
        if moved_to is not None:  # repeats and still-pending answers change nothing
            self._metrics.refund_changed(payment.gateway, REFUND_OUTCOMES[moved_to])
        if payment.refund_refused:
            logger.error("refund of payment %s refused by %s (%s)", payment_id, payment.gateway, answer.code)
        else:
            logger.info("refund of payment %s: %s", payment_id, payment.status)
        return payment
