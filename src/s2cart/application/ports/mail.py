from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str


class MailDeliveryFailed(Exception):
    """The mail server refused or could not be reached; the message stays in the outbox."""


class Mailer(Protocol):
    async def send(self, mail: Mail) -> None: ...
