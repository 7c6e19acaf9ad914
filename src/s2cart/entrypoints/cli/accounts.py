"""``s2cart users show|unlock|set-tier|list`` and ``s2cart sessions revoke|cleanup``: accounts, for operators."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from s2cart.entrypoints.cli.lists import add_users_list
from s2cart.entrypoints.cli.running import run_in_container
from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    from s2cart.domain.users.user import User
    from s2cart.entrypoints.container import Container


def add_user_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    add_users_list(users)


def add_session_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sessions = sub.add_parser("sessions", help="device sessions").add_subparsers(dest="action", required=True)
    revoke = sessions.add_parser("revoke", help="end a user's sessions")
    revoke.add_argument("email")
    revoke.add_argument("--device-type", choices=["ANDROID", "WEB", "IOS", "API"], default=None)
    revoke.set_defaults(handler=_sessions_revoke)
    cleanup = sessions.add_parser("cleanup", help="delete expired and revoked sessions")
    cleanup.set_defaults(handler=_sessions_cleanup)


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

    return run_in_container(settings, work)


def _users_unlock(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        user = await container.unlock_user()(args.email)
        print(f"unlocked {user.email}")
        return 0

    return run_in_container(settings, work)


def _users_set_tier(args: argparse.Namespace, settings: Settings) -> int:
    from s2cart.domain.users.user import Tier

    async def work(container: Container) -> int:
        user = await container.set_user_tier()(args.email, Tier(args.tier))
        print(f"{user.email} is now {user.tier}")
        return 0

    return run_in_container(settings, work)


def _sessions_revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        count = await container.revoke_user_sessions()(args.email, args.device_type)
        print(f"revoked {count} sessions")
        return 0

    return run_in_container(settings, work)


def _sessions_cleanup(args: argparse.Namespace, settings: Settings) -> int:
    async def work(container: Container) -> int:
        print(f"deleted {await container.cleanup_sessions()()} expired or revoked sessions")
        return 0

    return run_in_container(settings, work)
