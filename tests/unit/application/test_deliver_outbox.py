"""DeliverOutbox and MeasureOutboxBacklog with the fakes: claimed before sending, retried with backoff,
parked after the last attempt, scrubbed once delivered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from s2cart.application.mail.deliver_outbox import DeliverOutbox, RetryPolicy
from s2cart.application.ports.mail import Mail, MailDeliveryFailed
from s2cart.application.ports.outbox import OutboxMessage
from s2cart.application.system.outbox_backlog import MeasureOutboxBacklog
from tests.auth_fakes import FakeBox
from tests.fakes import FakeClock, FakeUnitOfWork

POLICY = RetryPolicy(first_delay=timedelta(seconds=30), max_delay=timedelta(minutes=2), max_attempts=3)


@dataclass
class FakeMailer:
    """A mailbox: what was sent; ``down`` refuses every mail as an unreachable server would."""

    sent: list[Mail] = field(default_factory=list)
    down: bool = False

    async def send(self, mail: Mail) -> None:
        if self.down:
            raise MailDeliveryFailed("connection refused")
        self.sent.append(mail)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


async def _queue(uow: FakeUnitOfWork, clock: FakeClock, to: str = "alice@example.com") -> int:
    mail = {"to": to, "subject": "Verify", "text": "Your code: 123456", "html": "<p>123456</p>"}
    message = OutboxMessage("mail", {"sealed": FakeBox().seal(mail), "kind": "verify_email"}, clock.now())
    async with uow() as work:
        await work.outbox.add(message)
        await work.commit()
    assert message.id is not None
    return message.id


def _stored(uow: FakeUnitOfWork, message_id: int) -> OutboxMessage:
    return next(m for m in uow.outbox.messages if m.id == message_id)


async def test_a_delivered_mail_is_sent_once_and_its_codes_scrubbed(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    mailer = FakeMailer()
    deliver = DeliverOutbox(uow, mailer, FakeBox(), clock, POLICY)
    message_id = await _queue(uow, clock)
    assert await MeasureOutboxBacklog(uow)() == 1

    report = await deliver()

    assert (report.delivered, report.failed) == (1, 0)
    assert [(m.to, m.text) for m in mailer.sent] == [("alice@example.com", "Your code: 123456")]
    stored = _stored(uow, message_id)
    assert (stored.delivered_at, stored.attempts, dict(stored.payload)) == (
        clock.now(),
        1,
        {"kind": "verify_email", "to_domain": "example.com"},
    )
    assert await MeasureOutboxBacklog(uow)() == 0
    clock.advance(hours=1)
    assert (await deliver()).delivered == 0 and len(mailer.sent) == 1


async def test_a_failure_is_retried_with_backoff_then_parked(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    mailer = FakeMailer(down=True)
    deliver = DeliverOutbox(uow, mailer, FakeBox(), clock, POLICY)
    message_id = await _queue(uow, clock)

    assert (await deliver()).failed == 1
    stored = _stored(uow, message_id)
    assert (stored.attempts, stored.next_attempt_at, stored.last_error) == (
        1,
        clock.now() + timedelta(seconds=30),
        "connection refused",
    )
    clock.advance(seconds=29)
    assert (await deliver()).failed == 0  # not due yet
    clock.advance(seconds=1)
    assert (await deliver()).failed == 1
    assert _stored(uow, message_id).next_attempt_at == clock.now() + timedelta(seconds=60)
    clock.advance(seconds=60)
    assert (await deliver()).failed == 1
    parked = _stored(uow, message_id)
    assert (parked.attempts, parked.next_attempt_at, parked.delivered_at) == (3, None, None)

    mailer.down = False
    clock.advance(days=1)
    assert (await deliver()).delivered == 0 and mailer.sent == []
    assert await MeasureOutboxBacklog(uow)() == 1  # a parked mail still counts as waiting


async def test_a_claimed_message_is_not_sent_by_another_worker_within_its_lease(
    uow: FakeUnitOfWork, clock: FakeClock
) -> None:
    first_id, second_id = await _queue(uow, clock), await _queue(uow, clock, "bob@example.com")
    async with uow() as work:  # another worker claimed the first one and is still sending it
        [_claimed] = await work.outbox.claim_due(clock.now(), clock.now() + POLICY.lease, 50, [first_id])
        await work.commit()
    mailer = FakeMailer()

    report = await DeliverOutbox(uow, mailer, FakeBox(), clock, POLICY)()

    assert (report.delivered, [m.to for m in mailer.sent]) == (1, ["bob@example.com"])
    assert _stored(uow, first_id).delivered_at is None and _stored(uow, second_id).delivered_at == clock.now()


async def test_delivery_can_be_limited_to_given_ids(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    first_id, _ = await _queue(uow, clock), await _queue(uow, clock, "bob@example.com")
    mailer = FakeMailer()
    report = await DeliverOutbox(uow, mailer, FakeBox(), clock, POLICY)(ids=[first_id])
    assert (report.delivered, [m.to for m in mailer.sent]) == (1, ["alice@example.com"])
