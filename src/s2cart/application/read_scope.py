"""Whose reads these are: the request's user, for read-your-writes on replicas (decision 0042).

The HTTP edge opens a scope per request (``open_read_scope``) and names the user once it has authenticated them
(``reading_as``). The scope is a mutable object held by a context variable, so a value set by a dependency that
Litestar resolves in a task of its own is still seen by the handler, the readers and the unit of work, which
run with copies of the same context.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass

UNKNOWN = -1  # the user's mark has not been looked up in this scope yet


@dataclass
class ReadScope:
    user_id: int | None = None
    # The LSN (as an int) of the user's last commit that a replica must have replayed; None: none is known,
    # UNKNOWN: not looked up yet. Kept for the request, so its reads ask Redis once.
    mark: int | None = UNKNOWN


_scope: ContextVar[ReadScope | None] = ContextVar("s2cart_read_scope", default=None)


def open_read_scope() -> Token[ReadScope | None]:
    return _scope.set(ReadScope())


def close_read_scope(token: Token[ReadScope | None]) -> None:
    _scope.reset(token)


def reading_as(user_id: int) -> None:
    """The reads and writes from here on are this user's (a no-op outside a scope, e.g. in commands)."""
    scope = _scope.get()
    if scope is not None and scope.user_id != user_id:
        scope.user_id = user_id
        scope.mark = UNKNOWN


def current_read_scope() -> ReadScope | None:
    return _scope.get()
