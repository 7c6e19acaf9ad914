"""The ``s2cart`` console script: serve, migrate, and the operator commands later issues add."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from s2cart.entrypoints.settings import Settings, SettingsError
from s2cart.entrypoints.simulator_cli import add_simulator_command

Command = Callable[[argparse.Namespace, Settings], int]


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    workers = args.workers or os.cpu_count() or 1
    uvicorn.run(
        "s2cart.entrypoints.http.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        proxy_headers=False,  # client IPs are resolved by the app against S2CART_TRUSTED_PROXIES
        server_header=False,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=30,
        log_level=settings.log_level.lower(),
        access_log=False,
    )
    return 0


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
    serve.set_defaults(handler=_serve)

    db = sub.add_parser("db", help="schema migrations").add_subparsers(dest="action", required=True)
    up = db.add_parser("upgrade", help="apply migrations")
    up.add_argument("revision", nargs="?", default="heads")
    up.set_defaults(handler=_db_upgrade)
    down = db.add_parser("downgrade", help="revert migrations down to REV ('base' for none)")
    down.add_argument("revision")
    down.set_defaults(handler=_db_downgrade)

    add_simulator_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"s2cart: {exc}", file=sys.stderr)
        return 2
    from s2cart.entrypoints.logs import configure_logging

    configure_logging(settings.log_level, settings.log_format)
    handler: Command = args.handler
    return handler(args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
