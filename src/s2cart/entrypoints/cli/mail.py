"""``s2cart mail flush``: deliver the outbox's due mails now."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from s2cart.entrypoints.cli.running import run_in_container
from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    from s2cart.entrypoints.container import Container


def add_mail_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mail = sub.add_parser("mail", help="the mail outbox").add_subparsers(dest="action", required=True)
    flush = mail.add_parser("flush", help="deliver due mails now")
    flush.add_argument("--limit", type=int, default=500)
    flush.set_defaults(handler=_mail_flush)


def _mail_flush(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        report = await container.deliver_outbox()(limit=args.limit)
        print(f"delivered {report.delivered}, failed {report.failed}")
        return 0 if report.failed == 0 else 1

    return run_in_container(settings, work)
