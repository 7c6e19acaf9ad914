"""RefundPayment: an operator gives back all or part of a captured payment (``s2cart payments refund``)."""

from __future__ import annotations

from decimal import Decimal

from s2cart.application.payments.refunds import Refunds
from s2cart.domain.payments.errors import PaymentNotFound
from s2cart.domain.payments.payment import Payment
from s2cart.domain.shared.ids import is_storable_id


class RefundPayment:
    """- Through the gateway adapter and the attempt's rules (``Refunds.refund_by_operator``): only a COMPLETED
      attempt, once, for at most what was paid, in whole paise.
    - Committed as REFUND_PENDING before the gateway is asked; its answer moves it to REFUNDED, leaves it
      pending (the reconciler asks again), or puts it back to COMPLETED with the refusal recorded.
    - The order's status is left as it is: moving it (RETURNED, REFUNDED) is ``s2cart orders set-status``."""

    def __init__(self, refunds: Refunds) -> None:
        self._refunds = refunds

    async def __call__(self, payment_id: int, amount: Decimal | None = None) -> Payment:
        if not is_storable_id(payment_id):
            raise PaymentNotFound()
        try:
            return await self._refunds.refund_by_operator(payment_id, amount)
        except PaymentNotFound:
            raise PaymentNotFound(f"No payment {payment_id}") from None
