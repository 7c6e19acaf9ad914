"""SetOrderStatus: an operator moves an order through its life (shipping, delivery, returns)."""

from __future__ import annotations

from s2cart.application.orders.cancel_order import give_back
from s2cart.application.payments.refund_cancelled_order import RefundCancelledOrder
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.orders.order import Order
from s2cart.domain.orders.status import OrderStatus


class SetOrderStatus:
    """- Only the state machine's moves; SHIPPED needs a tracking number; DELIVERED records the time.
    - Cancelling here gives stock and coupon back and, after the commit, asks for the refund of a paid
      order, as a customer's cancellation does."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, refund: RefundCancelledOrder) -> None:
        self._uow = uow
        self._clock = clock
        self._refund = refund

    async def __call__(
        self, reference: str, status: OrderStatus, tracking_number: str | None = None, carrier: str | None = None
    ) -> Order:
        now = self._clock.now()
        async with self._uow() as uow:
            order = await uow.orders.find(reference)
            if order is None:
                raise OrderNotFound(f"No order {reference}")
            order.move_to(status, now, tracking_number, carrier)
            if status is OrderStatus.CANCELLED:
                await give_back(uow, order, now)
            await uow.orders.save_status(order)
            await uow.commit()
        if status is OrderStatus.CANCELLED and order.id is not None:
            await self._refund(order.user_id, order.id)
        return order


class ShowOrder:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, reference: str) -> Order:
        async with self._uow() as uow:
            order = await uow.orders.find(reference)
        if order is None:
            raise OrderNotFound(f"No order {reference}")
        return order
