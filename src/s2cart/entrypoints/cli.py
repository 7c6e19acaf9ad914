"""The ``s2cart`` console script: serve, migrate, and the operator commands later issues add."""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from s2cart.entrypoints.catalog_cli import add_catalog_commands
from s2cart.entrypoints.logs import report_error
from s2cart.entrypoints.orders_cli import add_order_commands
from s2cart.entrypoints.payments_cli import add_payment_commands
from s2cart.entrypoints.settings import Settings, SettingsError
from s2cart.entrypoints.settings_env import load_dotenv, warn_unknown_variables
from s2cart.entrypoints.simulator_cli import add_simulator_command

if TYPE_CHECKING:
    from s2cart.domain.support.ticket import SupportTicket
    from s2cart.domain.users.user import User
    from s2cart.entrypoints.container import Container

Command = Callable[[argparse.Namespace, Settings], int]


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.entrypoints.serve import ServeOptions, serve

    options = ServeOptions(
        host=args.host,
        port=args.port,
        workers=args.workers,
        keep_alive_seconds=args.keep_alive,
        graceful_timeout_seconds=args.graceful_timeout,
    )
    return serve(settings, options)


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.adapters.persistence import migrator

    migrator.upgrade(settings.database_url, args.revision)
    print(f"database upgraded to {args.revision}")
    return 0


def _db_downgrade(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.adapters.persistence import migrator

    migrator.downgrade(settings.database_url, args.revision)
    print(f"database downgraded to {args.revision}")
    return 0


def _run(settings: Settings, work: Callable[[Container], Awaitable[int]]) -> int:
    """Run one operator command against a container of its own, closing its pools afterwards."""
    from s2cart.application.errors import ApplicationError
    from s2cart.domain.shared.errors import DomainError
    from s2cart.entrypoints.container import build_container, close_resources

    async def main() -> int:
        container = build_container(settings)
        try:
            return await work(container)
        except (DomainError, ApplicationError) as exc:  # e.g. a revocation refused while Redis is down
            report_error(exc.message)
            return 1
        finally:
            await close_resources(container)

    return asyncio.run(main())


def _describe(user: User) -> str:
    locked = user.locked_until.isoformat() if user.locked_until else "no"
    return (
        f"id={user.id} username={user.username} email={user.email} verified={user.is_verified} "
        f"active={user.is_active} tier={user.tier} failed_logins={user.failed_login_attempts} locked_until={locked} "
        f"joined={user.date_joined.isoformat()} last_login={user.last_login.isoformat() if user.last_login else '-'}"
    )


def _users_show(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        print(_describe(await container.find_user()(args.email)))
        return 0

    return _run(settings, work)


def _users_unlock(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        user = await container.unlock_user()(args.email)
        print(f"unlocked {user.email}")
        return 0

    return _run(settings, work)


def _users_set_tier(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.domain.users.user import Tier

    async def work(container: Container) -> int:
        user = await container.set_user_tier()(args.email, Tier(args.tier))
        print(f"{user.email} is now {user.tier}")
        return 0

    return _run(settings, work)


def _mail_flush(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        report = await container.deliver_outbox()(limit=args.limit)
        print(f"delivered {report.delivered}, failed {report.failed}")
        return 0 if report.failed == 0 else 1

    return _run(settings, work)


def _sessions_revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        count = await container.revoke_user_sessions()(args.email, args.device_type)
        print(f"revoked {count} sessions")
        return 0

    return _run(settings, work)


def _sessions_cleanup(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        print(f"deleted {await container.cleanup_sessions()()} expired or revoked sessions")
        return 0

    return _run(settings, work)


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

    return _run(settings, work)


def _support_reply(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        ticket, message = await container.reply_to_ticket()(args.ticket_id, args.text)
        print(f"replied to ticket {ticket.id} (message {message.id}); status {ticket.status}")
        return 0

    return _run(settings, work)


def _support_set_status(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.domain.support.ticket import TicketStatus

    async def work(container: Container) -> int:
        ticket = await container.set_ticket_status()(args.ticket_id, TicketStatus(args.status))
        print(f"ticket {ticket.id} is now {ticket.status}")
        return 0

    return _run(settings, work)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="s2cart", description="S2Cart customer API")
    sub = parser.add_subparsers(dest="group", required=True)

    serve = sub.add_parser("serve", help="serve the API with a production ASGI server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default: CPU cores)")
    serve.add_argument("--keep-alive", type=int, default=75, help="seconds an idle connection is kept open")
    serve.add_argument("--graceful-timeout", type=int, default=30, help="seconds in-flight requests get after SIGTERM")
    serve.set_defaults(handler=_serve)

    db = sub.add_parser("db", help="schema migrations").add_subparsers(dest="action", required=True)
    up = db.add_parser("upgrade", help="apply migrations")
    up.add_argument("revision", nargs="?", default="heads")
    up.set_defaults(handler=_db_upgrade)
    down = db.add_parser("downgrade", help="revert migrations down to REV ('base' for none)")
    down.add_argument("revision")
    down.set_defaults(handler=_db_downgrade)

    users = sub.add_parser("users", help="accounts").add_subparsers(dest="action", required=True)
    show = users.add_parser("show", help="print an account (never its password hash)")
    show.add_argument("email")
    show.set_defaults(handler=_users_show)
    unlock = users.add_parser("unlock", help="lift a sign-in lockout")
    unlock.add_argument("email")
    unlock.set_defaults(handler=_users_unlock)
    tier = users.add_parser("set-tier", help="standard or premium (rate limits)")
    tier.add_argument("email")
    tier.add_argument("tier", choices=["standard", "premium"])
    tier.set_defaults(handler=_users_set_tier)

    mail = sub.add_parser("mail", help="the mail outbox").add_subparsers(dest="action", required=True)
    flush = mail.add_parser("flush", help="deliver due mails now")
    flush.add_argument("--limit", type=int, default=500)
    flush.set_defaults(handler=_mail_flush)

    sessions = sub.add_parser("sessions", help="device sessions").add_subparsers(dest="action", required=True)
    revoke = sessions.add_parser("revoke", help="end a user's sessions")
    revoke.add_argument("email")
    revoke.add_argument("--device-type", choices=["ANDROID", "WEB", "IOS", "API"], default=None)
    revoke.set_defaults(handler=_sessions_revoke)
    cleanup = sessions.add_parser("cleanup", help="delete expired and revoked sessions")
    cleanup.set_defaults(handler=_sessions_cleanup)
    add_catalog_commands(sub)
    add_order_commands(sub)
    add_simulator_command(sub)
    add_payment_commands(sub)

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        load_dotenv()  # ./.env under the real environment; serve's workers inherit the result
        settings = Settings.from_env()
    except SettingsError as exc:
        from s2cart.entrypoints.logs import configure_logging

        # The settings did not load, but the log format asked for is still the one to answer in.
        configure_logging(fmt="json" if os.environ.get("S2CART_LOG_FORMAT") == "json" else "console")
        report_error(str(exc))
        return 2
    from s2cart.entrypoints.logs import configure_logging

    configure_logging(settings.log_level, settings.log_format)
    warn_unknown_variables()
    handler: Command = args.handler
    return handler(args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
