"""Development mailer: writes each mail to the log instead of sending it (refused in prod)."""

from __future__ import annotations

import logging

from s2cart.application.ports.mail import Mail

logger = logging.getLogger("s2cart.mail.dev")


class LogMailer:
    async def send(self, mail: Mail) -> None:
        logger.info("development mail to %s: %s\n%s", mail.to, mail.subject, mail.text)
