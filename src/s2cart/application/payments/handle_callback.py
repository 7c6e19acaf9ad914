"""HandleGatewayCallback: a gateway's notification about an attempt, believed only once confirmed.

Orchestration only; the attempt (``Payment``) judges. In order, as the protocol note says:
- Verify: the signature must verify (else 401 PAY_401) and the notification must be well formed (else
  400 PAY_400), checked by the adapter before any costly parsing; it must name S2Cart's merchant (else
  400 PAY_400). Nothing is recorded or changed.
- Every refusal (those above, an unknown id, a mismatch) is counted by reason through ``PaymentMetrics``.
- Find: an id no attempt has is recorded and acknowledged as ``ignored`` (retries could not help).
- The attempt checks the claim (amount, and the gateway's transaction id once known): a disagreement is
  recorded as a mismatch, changes nothing, and is 400 PAY_004. A success for an attempt already captured
  is acknowledged at once (``already_processed``).
- Fetch status: the status API is asked, within the request's gateway deadline. The attempt decides
  whether it confirms the claim; a status read that disagrees on amount or ids is a mismatch as above; one
  that does not confirm (still pending, say) is recorded as ``unconfirmed`` and changes nothing.
- Settle: a confirmed outcome goes through Settlement, which applies it once however many deliveries race.
- Refund if due: a capture for an order that no longer takes payment is refunded straight away (after the
  commit). When the status API cannot be reached, the answer is 503 PAY_503 so the gateway delivers again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from s2cart.application.errors import InvalidCallback, InvalidSignature
from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.gateways import Gateways
from s2cart.application.payments.refunds import Refunds
from s2cart.application.payments.settlement import Settlement, fetch_status
from s2cart.application.ports.metrics import NO_METRICS, PaymentMetrics, Rejection
from s2cart.application.ports.payment_records import Notification
from s2cart.application.ports.payments import InboundCallback
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.payments.amounts import from_paise
from s2cart.domain.payments.errors import PaymentMethodUnavailable, PaymentMismatch
from s2cart.domain.payments.facts import GatewayFacts

logger = logging.getLogger("s2cart.payments")


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
        deadline: GatewayDeadline,
        *,
        metrics: PaymentMetrics = NO_METRICS,
    ) -> None:
        self._uow = uow
        self._gateways = gateways
        self._clock = clock
        self._settlement = settlement
        self._refunds = refunds
        self._deadline = deadline
        self._metrics = metrics

    async def __call__(self, gateway_name: str, callback: InboundCallback) -> CallbackResult:
        budget = self._deadline.start()
        gateway = self._gateways.get(gateway_name)
        if gateway is None:
            raise PaymentMethodUnavailable(gateway_name, [])
        try:
            claim = gateway.verify_callback(callback)  # InvalidSignature / InvalidCallback: nothing recorded
            if claim.merchant_id != gateway.merchant_id:
                raise InvalidCallback(gateway.name, "callback names another merchant")
            if not claim.gateway_order_id:
                raise InvalidCallback(gateway.name, "callback names no transaction")
        except InvalidCallback as exc:
            self._refused(gateway.name, exc)
            raise
        async with self._uow() as uow:
            payment = await uow.payments.find(gateway.name, claim.gateway_order_id)
        if payment is None or payment.id is None:
            await self._note(claim, "ignored", detail="no attempt has this id")
            self._metrics.callback_rejected(gateway.name, Rejection.UNKNOWN_PAYMENT)
            logger.warning("%s notification for unknown attempt %s ignored", gateway.name, claim.gateway_order_id)
            return CallbackResult("ignored")
        try:
            payment.check_claim(claim)
            if payment.already_settled_by(claim):
                await self._note(claim, "already_processed", payment.id)
                return CallbackResult("already_processed", payment.id, payment.status.value)
            status = await fetch_status(gateway, payment, budget)  # GatewayUnavailable: 503, delivered again
            confirmed = payment.confirmed_by(claim, status, gateway.merchant_id, self._clock.now())
        except PaymentMismatch as exc:
            await self._note(claim, "mismatch", payment.id, detail=f"{exc.what} differs")
            self._metrics.callback_rejected(gateway.name, Rejection.MISMATCH)
            logger.error("%s notification for payment %s: %s differs; ignored", gateway.name, payment.id, exc.what)
            raise
        if not confirmed:
            await self._note(claim, "unconfirmed", payment.id, detail=f"status API says {status.state.value}")
            return CallbackResult("unconfirmed", payment.id, payment.status.value)

        settled = await self._settlement.apply(payment.id, status, gateway.merchant_id, self._notification(claim, ""))
        if settled.captured and settled.payment.needs_refund:
            await self._refunds.refund(payment.id, budget)
        outcome = "already_processed" if settled.moved_to is None else "applied"
        return CallbackResult(outcome, payment.id, settled.payment.status.value)

    def _refused(self, gateway: str, exc: InvalidCallback) -> None:
        """Count a notification refused before anything was looked up (401 or 400; nothing recorded)."""
        signature = isinstance(exc, InvalidSignature)
        self._metrics.callback_rejected(
            gateway, Rejection.INVALID_SIGNATURE if signature else Rejection.INVALID_CALLBACK
        )

    def _notification(
        self, claim: GatewayFacts, result: str, payment_id: int | None = None, detail: str | None = None
    ) -> Notification:
        assert claim.gateway_order_id is not None
        return Notification(
            gateway=claim.gateway,
            gateway_order_id=claim.gateway_order_id,
            result=result,
            received_at=self._clock.now(),
            payment_id=payment_id,
            claimed=claim.state.value,
            amount=from_paise(claim.amount_paise) if claim.amount_paise is not None else None,
            gateway_txn_id=claim.transaction_id,
            detail=detail,
        )

    async def _note(
        self, claim: GatewayFacts, result: str, payment_id: int | None = None, detail: str | None = None
    ) -> None:
        async with self._uow() as uow:
            await uow.payments.record_notification(self._notification(claim, result, payment_id, detail))
            await uow.commit()
