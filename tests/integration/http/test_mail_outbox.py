from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dependency_injector import providers
from litestar.testing import AsyncTestClient

from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.http.app import create_app
from tests.fakes import FakeClock
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import new_identity, register
from tests.integration.mailbox import Mailbox, free_port


async def test_a_mail_queued_while_smtp_is_down_arrives_once_it_is_back(database_url: str) -> None:
    port = free_port()  # nothing listens here yet
    container = build_container(make_settings(database_url, smtp_host="127.0.0.1", smtp_port=port))
    clock = FakeClock(datetime.now(UTC) - timedelta(hours=1))
    identity = new_identity("outage")
    with container.clock.override(providers.Object(clock)):
        async with AsyncTestClient(app=create_app(container=container)) as client:
            response = await register(client, **identity)
            assert response.status_code == 201
            assert response.json()["data"]["email_sent"] is False

            mailbox = Mailbox(port)
            mailbox.start()
            try:
                deliver = container.deliver_outbox()
                report = await deliver()
                assert report.delivered == 0  # the failed attempt set a backoff; nothing is due yet
                clock.advance(minutes=3)
                report = await deliver()
                assert report.delivered == 1
                mail = mailbox.last_to(identity["email"])
                verify = await client.post("/api/auth/verify/otp/", json={"email": identity["email"], "otp": mail.otp})
                assert verify.status_code == 200
                clock.advance(minutes=10)
                assert (await deliver()).delivered == 0  # delivered once, never again
                assert len(mailbox.messages_to(identity["email"])) == 1
            finally:
                mailbox.stop()
