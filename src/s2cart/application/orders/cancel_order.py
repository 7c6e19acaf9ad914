"""CancelOrder: the customer's only change to an order."""

from __future__ import annotations

from s2cart.application.payments.refund_cancelled_order import RefundCancelledOrder
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWork, UnitOfWorkFactory
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.orders.order import Order
from s2cart.domain.shared.ids import is_storable_id


async def give_back(uow: UnitOfWork, order: Order) -> None:
    """A cancelled order returns its stock and its coupon use."""
    assert order.id is not None
    for line in order.lines:
        await uow.orders.give_back_stock(line.store_id, line.product_id, line.quantity)
    await uow.orders.release_coupon(order.id)


class CancelOrder:
    """- Only from PLACED, CONFIRMED, PROCESSING or PACKED; later is a 400 (ORDER_003) changing nothing.
    - Stock and the coupon use are given back in the same transaction.
    - A paid order records that a refund is due; once the cancellation is committed the refund is asked
      for (RefundCancelledOrder), as for an operator's cancellation."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, refund: RefundCancelledOrder) -> None:
        self._uow = uow
        self._clock = clock
        self._refund = refund

    async def __call__(self, user_id: int, order_id: int, reason: str) -> Order:
        now = self._clock.now()
        async with self._uow() as uow:
            order = await uow.orders.get(user_id, order_id) if is_storable_id(order_id) else None
            if order is None:
                raise OrderNotFound()
            order.cancel(reason, now)
            await give_back(uow, order)
            await uow.orders.save_status(order)
            await uow.commit()
        await self._refund(user_id, order_id)  # after the commit: the gateway is never called inside it
        return order
