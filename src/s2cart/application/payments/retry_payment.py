"""RetryPayment: a new attempt, with a new transaction id, for a failed or expired one."""

from __future__ import annotations

from s2cart.application.payments.gateways import Gateways
from s2cart.application.payments.references import attempt_references
from s2cart.application.payments.starter import AttemptStarter
from s2cart.application.payments.views import StartedPayment
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.payments.attempts import OrderPayments
from s2cart.domain.payments.errors import PaymentNotFound
from s2cart.domain.shared.ids import is_storable_id


class RetryPayment:
    """- Only the caller's own attempt (another user's is 404), FAILED or EXPIRED (400 PAY_006), of an
      order that still takes payment (400 PAY_005), through the same gateway, which must still be enabled.
    - At most 3 retries per order: the 4th is 400 PAY_007.
    - An attempt is retried once: parallel retries of it run one after another under the order's lock;
      the first creates the new attempt and the others get 409 PAY_008.
    - The new attempt is committed before the gateway is called, like an initiation."""

    def __init__(self, uow: UnitOfWorkFactory, gateways: Gateways, clock: Clock, starter: AttemptStarter) -> None:
        self._uow = uow
        self._gateways = gateways
        self._clock = clock
        self._starter = starter

    async def __call__(self, user_id: int, payment_id: int) -> StartedPayment:
        async with self._uow() as uow:
            found = await uow.payments.get(payment_id) if is_storable_id(payment_id) else None
            if found is None or found.user_id != user_id:
                raise PaymentNotFound()
            gateway = self._gateways.choose(found.gateway)
            order = await uow.orders.get(user_id, found.order_id)
            if order is None:
                raise PaymentNotFound()
            book = OrderPayments(order, await uow.payments.of_order(found.order_id))
            earlier = list(book.attempts)
            refs = attempt_references(gateway.name, found.order_id, retry=True)
            payment = book.retry(payment_id, refs, self._clock.now())
            for attempt in earlier:
                await uow.payments.save(attempt)
            await uow.payments.add(payment)
            await uow.commit()
        return await self._starter.send(payment, gateway)
