"""The staff side of support, run as an operator would: the console script against a real database."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings
from tests.integration.http.customers import signed_in
from tests.integration.mailbox import Mailbox
from tests.integration.test_cli import s2cart

TICKETS = "/api/auth/support/tickets/"


async def test_staff_reply_and_move_a_ticket_along(settings: Settings, mailbox: Mailbox) -> None:
    async with AsyncTestClient(app=create_app(settings)) as client:
        headers = await signed_in(client, mailbox)
        body = {"subject": "Refund", "description": "Refund not received", "category": "refund", "priority": "HIGH"}
        ticket_id = (await client.post(TICKETS, headers=headers, json=body)).json()["data"]["id"]

        async def ticket() -> dict[str, object]:
            return dict((await client.get(f"{TICKETS}{ticket_id}/", headers=headers)).json()["data"])

        replied = s2cart(settings, "support", "reply", str(ticket_id), "We have raised it with the bank.")
        assert replied.returncode == 0, replied.stderr
        assert "status IN_PROGRESS" in replied.stdout
        current = await ticket()
        assert current["status"] == "IN_PROGRESS"
        assert [(m["message"], m["is_user_message"]) for m in current["messages"]] == [  # type: ignore[attr-defined]
            ("Refund not received", True),
            ("We have raised it with the bank.", False),
        ]

        resolved = s2cart(settings, "support", "set-status", str(ticket_id), "RESOLVED")
        assert resolved.returncode == 0, resolved.stderr
        assert f"ticket {ticket_id} is now RESOLVED" in resolved.stdout
        assert (await ticket())["status"] == "RESOLVED"

        # Staff cannot reopen; only the customer's message does.
        refused = s2cart(settings, "support", "set-status", str(ticket_id), "OPEN")
        assert refused.returncode == 1
        assert "cannot move to OPEN" in refused.stderr
        assert (await ticket())["status"] == "RESOLVED"

        closed = s2cart(settings, "support", "set-status", str(ticket_id), "CLOSED")
        assert closed.returncode == 0
        late = s2cart(settings, "support", "reply", str(ticket_id), "One more thing")
        assert late.returncode == 1
        assert "closed" in late.stderr.lower()
        assert len((await ticket())["messages"]) == 2  # type: ignore[arg-type]

        shown = s2cart(settings, "support", "show", str(ticket_id), process=True)
        assert shown.returncode == 0, shown.stderr
        assert f"ticket {ticket_id} [CLOSED] HIGH refund" in shown.stdout
        assert "staff: We have raised it with the bank." in shown.stdout

        for args in (("show", "999999"), ("reply", "999999", "hello"), ("set-status", "999999", "CLOSED")):
            missing = s2cart(settings, "support", *args)
            assert missing.returncode == 1
            assert "No ticket 999999" in missing.stderr
        invalid = s2cart(settings, "support", "set-status", str(ticket_id), "DONE")
        assert invalid.returncode == 2  # argparse: not a status
