"""Sending a committed PENDING attempt to its gateway and recording what the gateway said.

- The attempt row is already committed: whatever happens here, reconciliation can find it.
- Accepted: the client gets what its SDK needs (Paytm's txnToken, PhonePe's pay page).
- Rejected: the attempt is FAILED (it may be retried) and the client gets 400 PAY_001.
- Unknown (timeout, 5xx, unreadable, or the request's gateway deadline passed): the attempt stays PENDING
  for reconciliation and the client gets 503 PAY_503; it may ask again later (a new attempt supersedes this
  one, which is still honoured if paid).
"""

from __future__ import annotations

from s2cart.application.errors import GatewayUnavailable
from s2cart.application.payments.deadline import GatewayDeadline
from s2cart.application.payments.gateways import PaymentLinks
from s2cart.application.payments.settlement import lock_attempts
from s2cart.application.payments.views import PaymentData, StartedPayment
from s2cart.application.ports.payments import InitiateRequest, PaymentGateway
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.payments.errors import PaymentRejected
from s2cart.domain.payments.facts import GatewayFacts, GatewayState
from s2cart.domain.payments.payment import Payment


class AttemptStarter:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, links: PaymentLinks, deadline: GatewayDeadline) -> None:
        self._uow = uow
        self._clock = clock
        self._links = links
        self._deadline = deadline

    async def send(self, payment: Payment, gateway: PaymentGateway) -> StartedPayment:
        assert payment.id is not None
        callback_url = self._links.callback_url(gateway.name)
        request = InitiateRequest(
            gateway_order_id=payment.gateway_order_id,
            amount=payment.amount,
            customer_id=f"USER_{payment.user_id}",
            callback_url=callback_url,
            redirect_url=self._links.return_url,
        )
        try:
            answer = await self._deadline.start().run(gateway.name, gateway.initiate(request))
        except GatewayUnavailable as exc:  # the deadline passed: the gateway may have acted
            answer = GatewayFacts.unanswered(gateway.name, exc.detail)
        await self._record(payment.id, answer)
        if answer.state is GatewayState.FAILURE:
            raise PaymentRejected(gateway.name, answer.message)
        if answer.state is not GatewayState.SUCCESS:
            raise GatewayUnavailable(gateway.name, answer.code or "UNKNOWN")
        return StartedPayment(
            payment_id=payment.id,
            transaction_id=payment.transaction_id,
            order_id=payment.order_id,
            amount=payment.amount,
            currency=payment.currency,
            gateway=gateway.name,
            payment_data=PaymentData(
                gateway=gateway.name,
                merchant_id=gateway.merchant_id,
                gateway_order_id=payment.gateway_order_id,
                amount=payment.amount,
                callback_url=callback_url,
                token=answer.token,
                redirect_url=answer.redirect_url,
            ),
            expires_at=payment.expires_at,
        )

    async def _record(self, payment_id: int, answer: GatewayFacts) -> None:
        async with self._uow() as uow:
            _, _, payment = await lock_attempts(uow, payment_id)
            payment.initiated(answer, self._clock.now())
            await uow.payments.save(payment)
            await uow.commit()
