"""Support tickets: a customer's problem, the conversation about it, and where it stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from s2cart.domain.support.errors import TicketClosed, TicketTransitionRefused


class TicketStatus(StrEnum):
    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


class TicketPriority(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class TicketCategory(StrEnum):
    PAYMENT = "payment"
    DELIVERY = "delivery"
    ORDER = "order"
    ACCOUNT = "account"
    REFUND = "refund"
    OTHER = "other"


# Staff move a ticket forward along OPEN -> IN_PROGRESS -> RESOLVED -> CLOSED (skipping is allowed: a duplicate
# is closed straight away), or take a RESOLVED ticket back to IN_PROGRESS when the fix did not hold.
# Only a customer's message brings a ticket back to OPEN.
STAFF_TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.OPEN: frozenset({TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED, TicketStatus.CLOSED}),
    TicketStatus.IN_PROGRESS: frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED}),
    TicketStatus.RESOLVED: frozenset({TicketStatus.IN_PROGRESS, TicketStatus.CLOSED}),
    TicketStatus.CLOSED: frozenset(),
}
REOPENED_BY_CUSTOMER = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED})


@dataclass(eq=False)
class TicketMessage:
    message: str
    is_user_message: bool
    sent_at: datetime
    attachment_url: str | None = None
    ticket_id: int | None = None
    id: int | None = field(default=None)


@dataclass(eq=False)
class SupportTicket:
    user_id: int
    subject: str
    description: str
    category: str
    priority: str
    created_at: datetime
    updated_at: datetime
    status: str = TicketStatus.OPEN.value
    messages: list[TicketMessage] = field(default_factory=list)
    id: int | None = field(default=None)

    @classmethod
    def open(
        cls,
        user_id: int,
        subject: str,
        description: str,
        category: TicketCategory,
        priority: TicketPriority,
        now: datetime,
    ) -> SupportTicket:
        """A new OPEN ticket whose first message is the description, from the customer."""
        ticket = cls(
            user_id=user_id,
            subject=subject,
            description=description,
            category=category.value,
            priority=priority.value,
            created_at=now,
            updated_at=now,
        )
        ticket.messages.append(TicketMessage(message=description, is_user_message=True, sent_at=now))
        return ticket

    def customer_says(self, message: str, attachment_url: str | None, now: datetime) -> TicketMessage:
        """A customer may always write; on a RESOLVED or CLOSED ticket it means the problem is back."""
        if TicketStatus(self.status) in REOPENED_BY_CUSTOMER:
            self.status = TicketStatus.OPEN.value
        return self._append(message, attachment_url, is_user_message=True, now=now)

    def staff_says(self, message: str, now: datetime) -> TicketMessage:
        """A staff reply to an OPEN ticket means someone is on it; a CLOSED ticket takes no more replies."""
        status = TicketStatus(self.status)
        if status is TicketStatus.CLOSED:
            raise TicketClosed()
        if status is TicketStatus.OPEN:
            self.status = TicketStatus.IN_PROGRESS.value
        return self._append(message, None, is_user_message=False, now=now)

    def move_to(self, target: TicketStatus, now: datetime) -> None:
        """Staff only: customers change a status by writing, never directly."""
        current = TicketStatus(self.status)
        if target not in STAFF_TRANSITIONS[current]:
            raise TicketTransitionRefused(current.value, target.value)
        self.status = target.value
        self.updated_at = now

    def _append(
        self, message: str, attachment_url: str | None, *, is_user_message: bool, now: datetime
    ) -> TicketMessage:
        note = TicketMessage(
            message=message, is_user_message=is_user_message, sent_at=now, attachment_url=attachment_url
        )
        self.messages.append(note)
        self.updated_at = now
        return note
