"""CancelOrder: the customer's only change to an order."""

from __future__ import annotations

from datetime import datetime

from s2cart.application.invoices.issuing import credit_cancelled_order
from s2cart.application.payments.refund_cancelled_order import RefundCancelledOrder
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWork, UnitOfWorkFactory
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.orders.order import Order
from s2cart.domain.orders.stock import stock_moves
from s2cart.domain.shared.ids import is_storable_id


async def give_back(uow: UnitOfWork, order: Order, now: datetime) -> None:
    """A cancelled order returns its stock and its coupon use; an invoiced one gets its credit note
    (decision 0037)."""
    assert order.id is not None
    for move in stock_moves(order.lines):  # the one lock order, as checkouts take it (decision 0023)
        await uow.orders.give_back_stock(move.store_id, move.product_id, move.quantity)
    await uow.orders.release_coupon(order.id)
    await credit_cancelled_order(uow, order, now)


class CancelOrder:
    """- Only from PLACED, CONFIRMED, PROCESSING or PACKED; later is a 400 (ORDER_003) changing nothing.
    - Stock and the coupon use are given back in the same transaction, and an invoiced order's credit note
      is issued in it.
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
            await give_back(uow, order, now)
            await uow.orders.save_status(order)
            await uow.commit()
        await self._refund(user_id, order_id)  # after the commit: the gateway is never called inside it
        return order
