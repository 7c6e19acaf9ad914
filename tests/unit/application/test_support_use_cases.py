"""Support use cases over hand-written fakes: tickets, messages, staff commands."""

from __future__ import annotations

import pytest

from s2cart.application.support.add_ticket_message import AddTicketMessage, TicketMessageCommand
from s2cart.application.support.open_ticket import OpenTicket, OpenTicketCommand
from s2cart.application.support.staff_commands import FindTicket, ReplyToTicket, SetTicketStatus
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.support.errors import TicketClosed, TicketNotFound, TicketTransitionRefused
from s2cart.domain.support.ticket import TicketCategory, TicketPriority, TicketStatus
from tests.fakes import FakeClock, FakeCustomerUnitOfWork

ALICE, BOB = 1, 2
PAYMENT = OpenTicketCommand("Payment Issue", "Payment was deducted", TicketCategory.PAYMENT, TicketPriority.HIGH)


@pytest.fixture
def uow() -> FakeCustomerUnitOfWork:
    return FakeCustomerUnitOfWork()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_opening_stores_an_open_ticket_with_the_first_message(
    uow: FakeCustomerUnitOfWork, clock: FakeClock
) -> None:
    ticket = await OpenTicket(uow, clock)(ALICE, PAYMENT)
    stored = uow.tickets.tickets[ticket.id or 0]
    assert (stored.user_id, stored.status, stored.subject) == (ALICE, "OPEN", "Payment Issue")
    assert [(m.message, m.is_user_message) for m in stored.messages] == [("Payment was deducted", True)]
    assert all(m.id is not None for m in ticket.messages)


async def test_invalid_tickets_store_nothing(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    bad = OpenTicketCommand(" ", "x" * 5001, TicketCategory.OTHER)
    with pytest.raises(ValidationFailed) as caught:
        await OpenTicket(uow, clock)(ALICE, bad)
    assert set(caught.value.errors) == {"subject", "description"}
    assert uow.tickets.tickets == {}


async def test_the_conversation_and_its_states(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    ticket = await OpenTicket(uow, clock)(ALICE, PAYMENT)
    tid = ticket.id or 0
    _, reply = await ReplyToTicket(uow, clock)(tid, "We are on it")
    assert reply.is_user_message is False
    assert uow.tickets.tickets[tid].status == "IN_PROGRESS"
    await SetTicketStatus(uow, clock)(tid, TicketStatus.RESOLVED)
    clock.advance(minutes=5)
    message = await AddTicketMessage(uow, clock)(ALICE, tid, TicketMessageCommand("Still no refund"))
    stored = uow.tickets.tickets[tid]
    assert (stored.status, stored.updated_at, message.sent_at) == ("OPEN", clock.now(), clock.now())
    assert [m.is_user_message for m in stored.messages] == [True, False, True]
    assert (await FindTicket(uow)(tid)).messages[-1].message == "Still no refund"


async def test_another_users_ticket_is_not_found_and_unchanged(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    ticket = await OpenTicket(uow, clock)(ALICE, PAYMENT)
    await SetTicketStatus(uow, clock)(ticket.id or 0, TicketStatus.CLOSED)
    for ticket_id in (ticket.id or 0, 999, 2**31):
        with pytest.raises(TicketNotFound):
            await AddTicketMessage(uow, clock)(BOB, ticket_id, TicketMessageCommand("reopen it"))
    stored = uow.tickets.tickets[ticket.id or 0]
    assert (stored.status, len(stored.messages)) == ("CLOSED", 1)


async def test_refused_staff_commands_change_nothing(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    ticket = await OpenTicket(uow, clock)(ALICE, PAYMENT)
    tid = ticket.id or 0
    await SetTicketStatus(uow, clock)(tid, TicketStatus.CLOSED)
    with pytest.raises(TicketTransitionRefused):
        await SetTicketStatus(uow, clock)(tid, TicketStatus.IN_PROGRESS)
    with pytest.raises(TicketClosed):
        await ReplyToTicket(uow, clock)(tid, "hello")
    with pytest.raises(TicketNotFound):
        await ReplyToTicket(uow, clock)(404, "hello")
    stored = uow.tickets.tickets[tid]
    assert (stored.status, len(stored.messages)) == ("CLOSED", 1)


async def test_bad_messages_are_refused_before_anything_is_read(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    ticket = await OpenTicket(uow, clock)(ALICE, PAYMENT)
    with pytest.raises(ValidationFailed) as caught:
        await AddTicketMessage(uow, clock)(ALICE, ticket.id or 0, TicketMessageCommand("", "http://x.test/a"))
    assert set(caught.value.errors) == {"message", "attachment_url"}
    assert len(uow.tickets.tickets[ticket.id or 0].messages) == 1
