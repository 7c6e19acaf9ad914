"""SetOrderStatus: an operator moves an order through its life (shipping, delivery, returns)."""

from __future__ import annotations

from s2cart.application.orders.cancel_order import give_back
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.orders.order import Order
from s2cart.domain.orders.status import OrderStatus


class SetOrderStatus:
    """- Only the state machine's moves; SHIPPED needs a tracking number; DELIVERED records the time.
    - Cancelling here gives stock and coupon back, as a customer's cancellation does."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

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
                await give_back(uow, order)
            await uow.orders.save_status(order)
            await uow.commit()
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
