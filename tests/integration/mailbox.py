"""A real SMTP receiver (aiosmtpd) in a thread, and helpers to read codes out of delivered mail."""

from __future__ import annotations

import email
import re
import socket
import threading
import time
from dataclasses import dataclass
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    to: str
    subject: str
    text: str
    html: str

    @property
    def otp(self) -> str:
        match = re.search(r"Your code: (\d{6})", self.text)
        assert match, self.text
        return match.group(1)

    @property
    def link_token(self) -> str:
        match = re.search(r"/api/auth/verify/([A-Za-z0-9_-]{64})/", self.text)
        assert match, self.text
        return match.group(1)

    @property
    def reset_token(self) -> str:
        match = re.search(r"Reset token \(valid for 24 hours\): ([A-Za-z0-9_-]{64})", self.text)
        assert match, self.text
        return match.group(1)


class _Collector:
    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content)
        text = html = ""
        for part in parsed.walk():
            if not isinstance(part, Message) or part.is_multipart():
                continue
            payload = part.get_payload(decode=True)
            body = payload.decode() if isinstance(payload, bytes) else ""
            if part.get_content_type() == "text/plain":
                text = body
            elif part.get_content_type() == "text/html":
                html = body
        with self.lock:
            self.messages.append(Received(str(parsed["To"]), str(parsed["Subject"]), text, html))
        return "250 OK"


class Mailbox:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self._collector = _Collector()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        with self._collector.lock:
            self._collector.messages.clear()

    def messages_to(self, address: str) -> list[Received]:
        with self._collector.lock:
            return [m for m in self._collector.messages if m.to == address]

    def last_to(self, address: str, timeout: float = 5.0) -> Received:
        return self.wait_for(address, 1, timeout)[-1]

    def wait_for(self, address: str, count: int, timeout: float = 5.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages_to(address)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"{count} mails did not reach {address}; {len(self.messages_to(address))} did")
