"""The ``s2cart`` console script: its parser, ``serve`` and ``db``; the other groups live beside it."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence

from s2cart.entrypoints.cli.accounts import add_session_commands, add_user_commands
from s2cart.entrypoints.cli.catalog import add_catalog_commands
from s2cart.entrypoints.cli.mail import add_mail_commands
from s2cart.entrypoints.cli.orders import add_order_commands
from s2cart.entrypoints.cli.payments import add_payment_commands
from s2cart.entrypoints.cli.simulator import add_simulator_command
from s2cart.entrypoints.cli.support import add_support_commands
from s2cart.entrypoints.logs import report_error
from s2cart.entrypoints.settings import Settings, SettingsError
from s2cart.entrypoints.settings_env import load_dotenv, warn_unknown_variables

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

    add_user_commands(sub)
    add_mail_commands(sub)
    add_session_commands(sub)
    add_catalog_commands(sub)
    add_order_commands(sub)
    add_simulator_command(sub)
    add_payment_commands(sub)
    add_support_commands(sub)
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
