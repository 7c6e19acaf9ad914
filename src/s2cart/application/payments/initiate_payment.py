"""InitiatePayment: start paying one of the caller's orders through a gateway of their choice."""

from __future__ import annotations

from s2cart.application.payments.gateways import Gateways
from s2cart.application.payments.references import attempt_references
from s2cart.application.payments.starter import AttemptStarter
from s2cart.application.payments.views import StartedPayment
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.payments.attempts import OrderPayments


class InitiatePayment:
    """- The gateway must be enabled (credentials configured); otherwise 400 PAY_002, nothing written.
    - Only the caller's own order (another user's is 404), unpaid and not cancelled (400 PAY_005).
    - The amount is the order's total, never the client's.
    - The attempt is committed PENDING, superseding any earlier PENDING attempt, before the gateway is
      called; the gateway's answer is recorded afterwards (see AttemptStarter)."""

    def __init__(self, uow: UnitOfWorkFactory, gateways: Gateways, clock: Clock, starter: AttemptStarter) -> None:
        self._uow = uow
        self._gateways = gateways
        self._clock = clock
        self._starter = starter

    async def __call__(self, user_id: int, order_id: int, method: str) -> StartedPayment:
        gateway = self._gateways.choose(method)
        async with self._uow() as uow:
            order = await uow.orders.get(user_id, order_id)
            if order is None:
                raise OrderNotFound()
            book = OrderPayments(order, await uow.payments.of_order(order_id))
            superseded = list(book.attempts)
            payment = book.open(gateway.name, attempt_references(gateway.name, order_id), self._clock.now())
            for earlier in superseded:
                await uow.payments.save(earlier)
            await uow.payments.add(payment)
            await uow.commit()
        return await self._starter.send(payment, gateway)
