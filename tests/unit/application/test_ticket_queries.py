"""ListTickets and GetTicket over a fake reader: the caller's tickets only, newest activity first, with
their messages in the order written; another user's ticket is an unknown one."""

from __future__ import annotations

import pytest

from s2cart.application.support.add_ticket_message import AddTicketMessage, TicketMessageCommand
from s2cart.application.support.open_ticket import OpenTicket, OpenTicketCommand
from s2cart.application.support.queries import GetTicket, ListTickets
from s2cart.application.support.staff_commands import ReplyToTicket, SetTicketStatus
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.pagination import PageRequest
from s2cart.domain.support.errors import TicketNotFound
from s2cart.domain.support.ticket import TicketCategory, TicketPriority, TicketStatus
from tests.fakes import FakeClock, FakeCustomerUnitOfWork
from tests.reader_fakes import FakeTicketReader

ALICE, BOB = 1, 2


def _ticket(subject: str) -> OpenTicketCommand:
    return OpenTicketCommand(subject, "Details of the problem", TicketCategory.PAYMENT, TicketPriority.HIGH)


@pytest.fixture
def uow() -> FakeCustomerUnitOfWork:
    return FakeCustomerUnitOfWork()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_tickets_list_by_latest_activity_with_their_messages(
    uow: FakeCustomerUnitOfWork, clock: FakeClock
) -> None:
    open_ticket = OpenTicket(uow, clock)
    first = await open_ticket(ALICE, _ticket("Refund missing"))
    clock.advance(minutes=1)
    second = await open_ticket(ALICE, _ticket("Late delivery"))
    await open_ticket(BOB, _ticket("Bob's own"))
    clock.advance(minutes=1)
    assert first.id is not None and second.id is not None
    await AddTicketMessage(uow, clock)(ALICE, first.id, TicketMessageCommand("Any news?"))
    clock.advance(minutes=1)
    await ReplyToTicket(uow, clock)(first.id, "Refund sent today")
    listing = ListTickets(FakeTicketReader(uow.tickets))

    page = await listing(ALICE, PageRequest())

    assert [t.id for t in page.items] == [first.id, second.id] and page.total_count == 2
    assert [(m.message, m.is_user_message) for m in page.items[0].messages][-2:] == [
        ("Any news?", True),
        ("Refund sent today", False),
    ]
    oldest_first = await listing(ALICE, PageRequest(), ordering="created_at")
    assert [t.id for t in oldest_first.items] == [first.id, second.id]
    with pytest.raises(ValidationFailed):
        await listing(ALICE, PageRequest(), ordering="user_id")


async def test_tickets_filter_by_status(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    first = await OpenTicket(uow, clock)(ALICE, _ticket("Refund missing"))
    second = await OpenTicket(uow, clock)(ALICE, _ticket("Late delivery"))
    assert first.id is not None
    await SetTicketStatus(uow, clock)(first.id, TicketStatus.IN_PROGRESS)
    listing = ListTickets(FakeTicketReader(uow.tickets))

    in_progress = await listing(ALICE, PageRequest(), status=TicketStatus.IN_PROGRESS)
    still_open = await listing(ALICE, PageRequest(), status=TicketStatus.OPEN)

    assert ([t.id for t in in_progress.items], [t.id for t in still_open.items]) == ([first.id], [second.id])


async def test_get_ticket_is_the_callers_own_or_not_found(uow: FakeCustomerUnitOfWork, clock: FakeClock) -> None:
    ticket = await OpenTicket(uow, clock)(ALICE, _ticket("Refund missing"))
    assert ticket.id is not None
    get = GetTicket(FakeTicketReader(uow.tickets))

    view = await get(ALICE, ticket.id)

    assert (view.subject, view.status, view.messages[0].message) == ("Refund missing", "OPEN", "Details of the problem")
    with pytest.raises(TicketNotFound):
        await get(BOB, ticket.id)
    with pytest.raises(TicketNotFound):
        await get(ALICE, 2**63)
