"""HandleGatewayCallback: a gateway's notification about an attempt, believed only once confirmed.

In order, as the protocol note says:
- The signature must verify (else 401 PAY_401) and the notification must be well formed and name our
  merchant (else 400 PAY_400): nothing is recorded or changed.
- An id no attempt has is recorded and acknowledged as ``ignored`` (retries could not help).
- The notification's amount (and, once known, the gateway's transaction id) must match the attempt:
  otherwise it is recorded as a mismatch, nothing changes, and the answer is 400 PAY_004.
- A success for an attempt already captured is acknowledged at once (``already_processed``).
- Otherwise the status API is asked: it must report the same outcome, for the same amount, ids and
  merchant; if it reports the amount differs, that is a mismatch as above; if it reports something
  else (still pending, say), the notification is recorded as ``unconfirmed`` and changes nothing.
- A confirmed outcome goes through Settlement, which applies it once however many deliveries race.
- A capture for an order that no longer takes payment is refunded straight away (after the commit).
- When the status API cannot be reached, the answer is 503 PAY_503 so the gateway delivers again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import NoReturn

from s2cart.application.errors import InvalidCallback, InvalidSignature
from s2cart.application.payments.gateways import Gateways
from s2cart.application.payments.refunds import Refunds
from s2cart.application.payments.settlement import Settlement, report_of, status_query
from s2cart.application.ports.metrics import NO_METRICS, PaymentMetrics, Rejection
from s2cart.application.ports.payment_records import Notification
from s2cart.application.ports.payments import CallbackNotice, InboundCallback
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.payments.errors import PaymentMethodUnavailable, PaymentMismatch
from s2cart.domain.payments.payment import Effect
from s2cart.domain.payments.status import AMOUNT_MISMATCH, GatewaySignal, PaymentStatus

logger = logging.getLogger("s2cart.payments")

# What a claim must be confirmed as by the status API.
CONFIRMS = {GatewaySignal.SUCCESS: PaymentStatus.COMPLETED, GatewaySignal.FAILURE: PaymentStatus.FAILED}


@dataclass(frozen=True)
class CallbackResult:
    result: str  # applied, already_processed, ignored, unconfirmed
    payment_id: int | None = None
    status: str | None = None


class HandleGatewayCallback:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        gateways: Gateways,
        clock: Clock,
        settlement: Settlement,
        refunds: Refunds,
        *,
        metrics: PaymentMetrics = NO_METRICS,
    ) -> None:
        self._uow = uow
        self._gateways = gateways
        self._clock = clock
        self._settlement = settlement
        self._refunds = refunds
        self._metrics = metrics

    async def __call__(self, gateway_name: str, callback: InboundCallback) -> CallbackResult:
        gateway = self._gateways.get(gateway_name)
        if gateway is None:
            raise PaymentMethodUnavailable(gateway_name, [])
        try:
            notice = gateway.verify_callback(callback)  # InvalidSignature / InvalidCallback: nothing recorded
        except InvalidCallback as exc:
            signature = isinstance(exc, InvalidSignature)
            self._metrics.callback_rejected(
                gateway.name, Rejection.INVALID_SIGNATURE if signature else Rejection.INVALID_CALLBACK
            )
            raise
        async with self._uow() as uow:
            payment = await uow.payments.find(gateway.name, notice.gateway_order_id)
        if payment is None or payment.id is None:
            await self._note(notice, "ignored", detail="no attempt has this id")
            self._metrics.callback_rejected(gateway.name, Rejection.UNKNOWN_PAYMENT)
            logger.warning("%s notification for unknown attempt %s ignored", gateway.name, notice.gateway_order_id)
            return CallbackResult("ignored")
        if notice.amount is not None and notice.amount != payment.amount:
            await self._mismatch(notice, payment.id, "amount")
        known_txn = payment.gateway_transaction_id
        if notice.gateway_txn_id and known_txn and notice.gateway_txn_id != known_txn:
            await self._mismatch(notice, payment.id, "transaction id")
        if payment.captured and notice.claimed is GatewaySignal.SUCCESS:
            await self._note(notice, "already_processed", payment.id)
            return CallbackResult("already_processed", payment.id, payment.status.value)

        result = await gateway.fetch_status(status_query(payment))  # GatewayUnavailable: 503, delivered again
        if result.reason == AMOUNT_MISMATCH:
            await self._mismatch(notice, payment.id, "amount (per the status API)")
        if notice.gateway_txn_id and result.gateway_txn_id and notice.gateway_txn_id != result.gateway_txn_id:
            await self._mismatch(notice, payment.id, "transaction id (per the status API)")
        if CONFIRMS.get(notice.claimed) is not result.status:
            await self._note(notice, "unconfirmed", payment.id, detail=f"status API says {result.status.value}")
            return CallbackResult("unconfirmed", payment.id, payment.status.value)

        settled = await self._settlement.apply(payment.id, report_of(result), self._notification(notice, ""))
        if settled.effect is Effect.CAPTURED_FOR_REFUND:
            await self._refunds.refund(payment.id)
        outcome = "already_processed" if settled.effect is Effect.NONE else "applied"
        return CallbackResult(outcome, payment.id, settled.payment.status.value)

    def _notification(
        self, notice: CallbackNotice, result: str, payment_id: int | None = None, detail: str | None = None
    ) -> Notification:
        return Notification(
            gateway=notice.gateway,
            gateway_order_id=notice.gateway_order_id,
            result=result,
            received_at=self._clock.now(),
            payment_id=payment_id,
            claimed=notice.claimed.value,
            amount=notice.amount,
            gateway_txn_id=notice.gateway_txn_id,
            detail=detail,
        )

    async def _note(
        self, notice: CallbackNotice, result: str, payment_id: int | None = None, detail: str | None = None
    ) -> None:
        async with self._uow() as uow:
            await uow.payments.record_notification(self._notification(notice, result, payment_id, detail))
            await uow.commit()

    async def _mismatch(self, notice: CallbackNotice, payment_id: int, what: str) -> NoReturn:
        await self._note(notice, "mismatch", payment_id, detail=f"{what} differs")
        self._metrics.callback_rejected(notice.gateway, Rejection.MISMATCH)
        logger.error("%s notification for payment %s: %s differs; ignored", notice.gateway, payment_id, what)
        raise PaymentMismatch(what)
