"""``s2cart support show|reply|set-status|list``: the staff side of support tickets."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from s2cart.entrypoints.cli.lists import add_support_list
from s2cart.entrypoints.cli.running import run_in_container
from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    from s2cart.domain.support.ticket import SupportTicket
    from s2cart.entrypoints.container import Container


def add_support_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    support = sub.add_parser("support", help="support tickets").add_subparsers(dest="action", required=True)
    ticket_show = support.add_parser("show", help="print a ticket and its messages")
    ticket_show.add_argument("ticket_id", type=int)
    ticket_show.set_defaults(handler=_support_show)
    reply = support.add_parser("reply", help="answer a ticket as staff (an OPEN ticket moves to IN_PROGRESS)")
    reply.add_argument("ticket_id", type=int)
    reply.add_argument("text")
    reply.set_defaults(handler=_support_reply)
    set_status = support.add_parser("set-status", help="move a ticket along OPEN, IN_PROGRESS, RESOLVED, CLOSED")
    set_status.add_argument("ticket_id", type=int)
    set_status.add_argument("status", choices=["OPEN", "IN_PROGRESS", "RESOLVED", "CLOSED"])
    set_status.set_defaults(handler=_support_set_status)
    add_support_list(support)


def _describe_ticket(ticket: SupportTicket) -> str:
    lines = [
        f"ticket {ticket.id} [{ticket.status}] {ticket.priority} {ticket.category} user={ticket.user_id}",
        f"subject: {ticket.subject}",
        f"opened {ticket.created_at.isoformat()} updated {ticket.updated_at.isoformat()}",
    ]
    for message in ticket.messages:
        who = "customer" if message.is_user_message else "staff"
        attachment = f" (attachment {message.attachment_url})" if message.attachment_url else ""
        lines.append(f"- {message.sent_at.isoformat()} {who}: {message.message}{attachment}")
    return "\n".join(lines)


def _support_show(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        print(_describe_ticket(await container.find_ticket()(args.ticket_id)))
        return 0

    return run_in_container(settings, work)


def _support_reply(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        ticket, message = await container.reply_to_ticket()(args.ticket_id, args.text)
        print(f"replied to ticket {ticket.id} (message {message.id}); status {ticket.status}")
        return 0

    return run_in_container(settings, work)


def _support_set_status(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.domain.support.ticket import TicketStatus

    async def work(container: Container) -> int:
        ticket = await container.set_ticket_status()(args.ticket_id, TicketStatus(args.status))
        print(f"ticket {ticket.id} is now {ticket.status}")
        return 0

    return run_in_container(settings, work)
