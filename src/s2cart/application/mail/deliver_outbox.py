"""DeliverOutbox: send queued mails after their transaction committed, retrying with backoff."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from s2cart.application.ports.mail import Mail, MailDeliveryFailed, Mailer
from s2cart.application.ports.outbox import OutboxMessage
from s2cart.application.ports.security import SecretBox
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    max_attempts: int = 20
    lease: timedelta = timedelta(minutes=2)

    def next_delay(self, attempts: int) -> timedelta | None:
        if attempts >= self.max_attempts:
            return None
        delay: timedelta = self.first_delay * (2 ** (attempts - 1))
        return min(delay, self.max_delay)


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int
    failed: int


class DeliverOutbox:
    """- Only committed messages are seen; a message is claimed (leased) before sending, so two workers
      never send the same mail at once.
    - A failure is retried with exponential backoff; after the last attempt the message is parked.
    - A delivered mail's body (which holds the only plain copy of codes) is scrubbed."""

    def __init__(
        self, uow: UnitOfWorkFactory, mailer: Mailer, box: SecretBox, clock: Clock, policy: RetryPolicy
    ) -> None:
        self._uow = uow
        self._mailer = mailer
        self._box = box
        self._clock = clock
        self._policy = policy

    async def __call__(self, ids: Sequence[int] | None = None, limit: int = 50) -> DeliveryReport:
        now = self._clock.now()
        async with self._uow() as uow:
            claimed = await uow.outbox.claim_due(now, now + self._policy.lease, limit, ids)
            await uow.commit()
        delivered = failed = 0
        for message in claimed:
            if await self._deliver(message):
                delivered += 1
            else:
                failed += 1
        return DeliveryReport(delivered=delivered, failed=failed)

    async def _deliver(self, message: OutboxMessage) -> bool:
        assert message.id is not None
        attempts = message.attempts + 1
        try:
            mail = Mail(**self._box.open(str(message.payload["sealed"])))
            await self._mailer.send(mail)
        except MailDeliveryFailed as exc:
            delay = self._policy.next_delay(attempts)
            now = self._clock.now()
            async with self._uow() as uow:
                await uow.outbox.mark_failed(message.id, attempts, now + delay if delay else None, str(exc)[:500])
                await uow.commit()
            logger.warning("mail %s not delivered (attempt %s): %s", message.id, attempts, type(exc).__name__)
            return False
        async with self._uow() as uow:
            scrubbed = {"kind": message.payload.get("kind"), "to_domain": mail.to.rsplit("@", 1)[-1]}
            await uow.outbox.mark_delivered(message.id, self._clock.now(), scrubbed)
            await uow.commit()
        return True
