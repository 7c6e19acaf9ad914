"""The read commands that find things: ``orders|support|users|payments list``, each with ``--json``.

Each is a use case over the operator reader (``application/operations``); ``output.py`` writes the answer.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from s2cart.entrypoints.cli.output import emit
from s2cart.entrypoints.cli.running import run_in_container
from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    from s2cart.entrypoints.container import Container

    Parsers = argparse._SubParsersAction[argparse.ArgumentParser]

ORDER_COLUMNS = ("id", "order_number", "email", "status", "total_amount", "order_date", "paid_at")
TICKET_COLUMNS = ("id", "status", "priority", "category", "email", "messages", "updated_at", "subject")
USER_COLUMNS = ("id", "email", "username", "is_verified", "is_active", "tier", "locked_until", "date_joined")
PAYMENT_COLUMNS = (
    "id", "order_number", "email", "gateway", "status", "amount", "refunded_amount", "gateway_order_id", "created_at",
)  # fmt: skip


def utc_moment(text: str) -> datetime:
    """``2025-01-20`` (midnight UTC) or an ISO 8601 time; one without an offset is UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date or ISO 8601 time: {text!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def row_limit(text: str) -> int:
    from s2cart.application.operations.queries import MAX_ROWS

    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_ROWS:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_ROWS}: {text!r}")
    return limit


def _list_parser(group: Parsers, help_text: str) -> argparse.ArgumentParser:
    parser = group.add_parser("list", help=help_text)
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout instead of a table")
    parser.add_argument("--limit", type=row_limit, default=50, metavar="N", help="at most N rows, newest first (50)")
    return parser


def add_orders_list(group: Parsers) -> None:
    from s2cart.domain.orders.status import OrderStatus

    parser = _list_parser(group, "list orders of every customer, newest first")
    parser.add_argument("--status", choices=[s.value for s in OrderStatus], type=str.upper)
    parser.add_argument("--since", type=utc_moment, metavar="DATE", help="placed at or after DATE (UTC)")
    parser.add_argument("--user", metavar="EMAIL", help="one customer's orders")
    parser.set_defaults(handler=_orders_list)


def add_support_list(group: Parsers) -> None:
    from s2cart.domain.support.ticket import TicketStatus

    parser = _list_parser(group, "list tickets of every customer, most recently updated first")
    parser.add_argument("--status", choices=[s.value for s in TicketStatus], type=str.upper)
    parser.set_defaults(handler=_support_list)


def add_users_list(group: Parsers) -> None:
    parser = _list_parser(group, "list accounts, newest first")
    parser.add_argument("--unverified", action="store_true", help="only accounts whose email is not verified")
    parser.add_argument("--locked", action="store_true", help="only accounts locked out of sign-in now")
    parser.set_defaults(handler=_users_list)


def add_payments_list(group: Parsers) -> None:
    from s2cart.domain.payments.payment import PaymentState

    parser = _list_parser(group, "list payment attempts of every customer, newest first")
    parser.add_argument("--status", choices=[s.value for s in PaymentState], type=str.upper)
    parser.add_argument("--gateway", choices=["PAYTM", "PHONEPE"], type=str.upper)
    parser.set_defaults(handler=_payments_list)


def _orders_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        rows = await container.list_all_orders()(args.status, args.since, args.user, args.limit)
        return emit("orders", rows, ORDER_COLUMNS, args.json)

    return run_in_container(settings, work)


def _support_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        rows = await container.list_all_tickets()(args.status, args.limit)
        return emit("tickets", rows, TICKET_COLUMNS, args.json)

    return run_in_container(settings, work)


def _users_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        rows = await container.list_users()(args.unverified, args.locked, args.limit)
        return emit("users", rows, USER_COLUMNS, args.json)

    return run_in_container(settings, work)


def _payments_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        rows = await container.list_all_payments()(args.status, args.gateway, args.limit)
        return emit("payments", rows, PAYMENT_COLUMNS, args.json)

    return run_in_container(settings, work)
