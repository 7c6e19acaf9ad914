"""From gateway signals to S2Cart statuses (protocol note, section 1).

- Initiate: accepted -> PENDING; rejected -> FAILED; an unknown outcome -> PENDING, to be reconciled,
  never FAILED: the gateway may have created the transaction.
- Status: success whose ids and amount match -> COMPLETED; success that differs in amount, merchant or
  order id -> FAILED with reason AMOUNT_MISMATCH (never fulfil); failure -> FAILED; pending or unknown ->
  PENDING; no record -> PENDING until the expiry window has passed since initiation, then EXPIRED.
- Refund: success -> COMPLETED; failure or no record -> FAILED; pending or unknown -> PENDING (an unknown
  refund may have been registered: check its status before asking again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from s2cart.domain.payments.status import (
    AMOUNT_MISMATCH,
    GatewaySignal,
    InitiateOutcome,
    PaymentStatus,
    RefundStatus,
)

# PhonePe's reconciliation horizon; used for Paytm as well so both gateways expire alike.
EXPIRY_WINDOW = timedelta(minutes=20)


@dataclass(frozen=True)
class Verdict:
    status: PaymentStatus
    reason: str | None = None


def status_after_initiate(outcome: InitiateOutcome) -> PaymentStatus:
    return PaymentStatus.FAILED if outcome is InitiateOutcome.REJECTED else PaymentStatus.PENDING


def judge_payment(signal: GatewaySignal, *, details_match: bool, initiated_at: datetime, now: datetime) -> Verdict:
    if initiated_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    if signal is GatewaySignal.SUCCESS:
        if details_match:
            return Verdict(PaymentStatus.COMPLETED)
        return Verdict(PaymentStatus.FAILED, AMOUNT_MISMATCH)
    if signal is GatewaySignal.FAILURE:
        return Verdict(PaymentStatus.FAILED)
    if signal is GatewaySignal.NOT_FOUND and now - initiated_at >= EXPIRY_WINDOW:
        return Verdict(PaymentStatus.EXPIRED)
    return Verdict(PaymentStatus.PENDING)


def refund_status_for(signal: GatewaySignal) -> RefundStatus:
    if signal is GatewaySignal.SUCCESS:
        return RefundStatus.COMPLETED
    if signal in (GatewaySignal.FAILURE, GatewaySignal.NOT_FOUND):
        return RefundStatus.FAILED
    return RefundStatus.PENDING
