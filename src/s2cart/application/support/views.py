"""What the support pages read: a ticket with its messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TicketMessageView:
    id: int
    message: str
    is_user_message: bool
    sent_at: datetime
    attachment_url: str | None


@dataclass(frozen=True)
class TicketView:
    id: int
    subject: str
    description: str
    status: str
    priority: str
    category: str
    created_at: datetime
    updated_at: datetime
    messages: list[TicketMessageView]
