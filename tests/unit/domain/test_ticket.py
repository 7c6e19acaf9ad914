"""The support ticket state machine, with no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.support import rules
from s2cart.domain.support.errors import TicketClosed, TicketTransitionRefused
from s2cart.domain.support.ticket import SupportTicket, TicketCategory, TicketPriority, TicketStatus

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
S = TicketStatus
ALLOWED = {
    (S.OPEN, S.IN_PROGRESS),
    (S.OPEN, S.RESOLVED),
    (S.OPEN, S.CLOSED),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.IN_PROGRESS, S.CLOSED),
    (S.RESOLVED, S.IN_PROGRESS),
    (S.RESOLVED, S.CLOSED),
}


def _ticket(status: TicketStatus = S.OPEN) -> SupportTicket:
    ticket = SupportTicket.open(
        5, "Payment Issue", "Payment was deducted", TicketCategory.PAYMENT, TicketPriority.HIGH, NOW
    )
    ticket.status = status.value
    return ticket


def test_a_new_ticket_is_open_with_the_description_as_the_customers_first_message() -> None:
    ticket = _ticket()
    assert (ticket.status, ticket.priority, ticket.category) == ("OPEN", "HIGH", "payment")
    [first] = ticket.messages
    assert (first.message, first.is_user_message, first.sent_at, first.attachment_url) == (
        "Payment was deducted",
        True,
        NOW,
        None,
    )


@pytest.mark.parametrize(("current", "target"), list(product(S, S)))
def test_staff_move_tickets_only_along_the_allowed_transitions(current: TicketStatus, target: TicketStatus) -> None:
    ticket = _ticket(current)
    later = NOW + timedelta(hours=1)
    if (current, target) in ALLOWED:
        ticket.move_to(target, later)
        assert (ticket.status, ticket.updated_at) == (target.value, later)
    else:
        with pytest.raises(TicketTransitionRefused) as caught:
            ticket.move_to(target, later)
        assert caught.value.code == "SUP_002" and "status" in caught.value.errors
        assert (ticket.status, ticket.updated_at) == (current.value, NOW)


@pytest.mark.parametrize(
    ("current", "after"),
    [(S.OPEN, S.OPEN), (S.IN_PROGRESS, S.IN_PROGRESS), (S.RESOLVED, S.OPEN), (S.CLOSED, S.OPEN)],
)
def test_a_customer_message_reopens_resolved_and_closed_tickets(current: TicketStatus, after: TicketStatus) -> None:
    ticket = _ticket(current)
    later = NOW + timedelta(minutes=5)
    message = ticket.customer_says("Still broken", "https://x.test/p.jpg", later)
    assert ticket.status == after.value
    assert (message.is_user_message, message.attachment_url, message.sent_at) == (True, "https://x.test/p.jpg", later)
    assert ticket.messages[-1] is message and ticket.updated_at == later


@pytest.mark.parametrize(
    ("current", "after"), [(S.OPEN, S.IN_PROGRESS), (S.IN_PROGRESS, S.IN_PROGRESS), (S.RESOLVED, S.RESOLVED)]
)
def test_a_staff_reply_takes_up_an_open_ticket(current: TicketStatus, after: TicketStatus) -> None:
    ticket = _ticket(current)
    message = ticket.staff_says("Looking into it", NOW)
    assert ticket.status == after.value
    assert message.is_user_message is False and ticket.messages[-1] is message


def test_a_closed_ticket_takes_no_staff_reply() -> None:
    ticket = _ticket(S.CLOSED)
    with pytest.raises(TicketClosed):
        ticket.staff_says("Hello?", NOW)
    assert len(ticket.messages) == 1 and ticket.status == "CLOSED"


ACTIONS = st.lists(st.tuples(st.sampled_from(["customer", "staff", "move"]), st.sampled_from(list(S))), max_size=40)


@given(ACTIONS)
def test_only_a_customer_brings_a_ticket_back_to_open(actions: list[tuple[str, TicketStatus]]) -> None:
    ticket = _ticket()
    for actor, target in actions:
        before, count = ticket.status, len(ticket.messages)
        try:
            if actor == "customer":
                ticket.customer_says("more", None, NOW)
            elif actor == "staff":
                ticket.staff_says("reply", NOW)
            else:
                ticket.move_to(target, NOW)
        except (TicketClosed, TicketTransitionRefused):
            assert (ticket.status, len(ticket.messages)) == (before, count)
            continue
        if ticket.status == "OPEN" and before != "OPEN":
            assert actor == "customer"
        assert ticket.status in {s.value for s in S}


def test_message_and_subject_rules() -> None:
    assert rules.subject_of("  Payment   Issue ") == "Payment Issue"
    assert rules.text_of(" line one\nline two ", "message") == "line one\nline two"
    assert rules.attachment_url_of(None) is None and rules.attachment_url_of(" ") is None
    for call, field in [
        (lambda: rules.subject_of(""), "subject"),
        (lambda: rules.subject_of("s" * 201), "subject"),
        (lambda: rules.text_of("\n\t ", "message"), "message"),
        (lambda: rules.text_of("m" * 5001, "description"), "description"),
        (lambda: rules.text_of("bell\x07", "message"), "message"),
        (lambda: rules.attachment_url_of("http://x.test/a.jpg"), "attachment_url"),
        (lambda: rules.attachment_url_of("javascript:alert(1)"), "attachment_url"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            call()
        assert field in caught.value.errors
