"""Support ticket errors."""

from __future__ import annotations

from s2cart.domain.shared.errors import Conflict, NotFound


class TicketNotFound(NotFound):
    """Unknown or another customer's: the same answer for both."""

    default_message = "Ticket not found"


class TicketClosed(Conflict):
    code = "SUP_001"
    default_message = "Ticket is closed"

    def __init__(self) -> None:
        reason = "A closed ticket takes no staff replies until the customer reopens it."
        super().__init__(errors={"non_field_errors": [reason]})


class TicketTransitionRefused(Conflict):
    code = "SUP_002"
    default_message = "Status change not allowed"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            f"A {current} ticket cannot move to {target}",
            errors={"status": [f"A {current} ticket cannot move to {target}."]},
        )
