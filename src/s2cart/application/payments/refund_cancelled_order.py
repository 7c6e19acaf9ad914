"""RefundCancelledOrder: a paid order was cancelled, so its captured payment goes back."""

from __future__ import annotations

from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.refunds import Refunds
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.payments.payment import Payment, PaymentState
from s2cart.domain.shared.ids import is_storable_id


class RefundCancelledOrder:
    """- Runs after the cancellation is committed (CancelOrder and SetOrderStatus ask for it, so a customer's
      and an operator's cancellation refund alike); an order that is not cancelled, or was never paid,
      is left alone (so calling it after every cancellation is safe).
    - Every captured attempt of the order is flagged and refunded in full (see Refunds); a gateway that
      cannot answer within the gateway deadline leaves the refund REFUND_PENDING for reconciliation."""

    def __init__(self, uow: UnitOfWorkFactory, refunds: Refunds, deadline: GatewayDeadline) -> None:
        self._uow = uow
        self._refunds = refunds
        self._deadline = deadline

    async def __call__(self, user_id: int, order_id: int) -> list[Payment]:
        budget = self._deadline.start()
        async with self._uow() as uow:
            order = await uow.orders.get(user_id, order_id) if is_storable_id(order_id) else None
            if order is None or order.status is not OrderStatus.CANCELLED:
                return []
            flagged: list[int] = []
            for payment in await uow.payments.of_order(order_id):
                if payment.status is PaymentState.COMPLETED and payment.id is not None:
                    payment.flag_refund()
                    await uow.payments.save(payment)
                    flagged.append(payment.id)
            await uow.commit()
        refunded = [await self._refunds.refund(payment_id, budget) for payment_id in flagged]
        return [payment for payment in refunded if payment is not None]
