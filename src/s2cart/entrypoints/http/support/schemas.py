"""Support tickets on the wire: the contract's ticket with its messages, and the bodies that write them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from s2cart.application.support.views import TicketMessageView, TicketView
from s2cart.domain.support.rules import SUBJECT_MAX, TEXT_MAX
from s2cart.domain.support.ticket import SupportTicket, TicketCategory, TicketMessage, TicketPriority

Text = Annotated[str, msgspec.Meta(max_length=TEXT_MAX, description=f"1-{TEXT_MAX} characters")]


class TicketIn(msgspec.Struct, kw_only=True):
    subject: Annotated[str, msgspec.Meta(max_length=SUBJECT_MAX, description=f"1-{SUBJECT_MAX} characters")]
    description: Text
    category: TicketCategory
    priority: TicketPriority = TicketPriority.MEDIUM


class TicketMessageIn(msgspec.Struct, kw_only=True):
    message: Text
    attachment_url: Annotated[str, msgspec.Meta(max_length=500, description="https only; never fetched")] | None = None


class TicketMessageOut(msgspec.Struct, kw_only=True):
    id: int
    message: str
    is_user_message: bool
    timestamp: datetime
    attachment_url: str | None


class TicketOut(msgspec.Struct, kw_only=True):
    id: int
    subject: str
    description: str
    status: str
    priority: str
    category: str
    created_at: datetime
    updated_at: datetime
    messages: list[TicketMessageOut]


def message_out(message: TicketMessage | TicketMessageView) -> TicketMessageOut:
    assert message.id is not None
    return TicketMessageOut(
        id=message.id,
        message=message.message,
        is_user_message=message.is_user_message,
        timestamp=message.sent_at,
        attachment_url=message.attachment_url,
    )


def ticket_out(ticket: SupportTicket | TicketView) -> TicketOut:
    assert ticket.id is not None
    return TicketOut(
        id=ticket.id,
        subject=ticket.subject,
        description=ticket.description,
        status=ticket.status,
        priority=ticket.priority,
        category=ticket.category,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        messages=[message_out(m) for m in ticket.messages],
    )
