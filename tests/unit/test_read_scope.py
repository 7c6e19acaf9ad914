"""The request's read scope (decision 0042): whose reads these are, seen across the tasks of one request."""

from __future__ import annotations

import asyncio

from s2cart.application.read_scope import (
    UNKNOWN,
    close_read_scope,
    current_read_scope,
    open_read_scope,
    reading_as,
)


def test_outside_a_scope_naming_a_user_changes_nothing() -> None:
    reading_as(7)
    assert current_read_scope() is None


async def test_a_user_named_in_another_task_is_seen_by_the_request() -> None:
    token = open_read_scope()
    try:
        # Litestar resolves dependencies in tasks of their own: they run in copies of the context.
        await asyncio.gather(asyncio.create_task(_name(42)))
        scope = current_read_scope()
        assert scope is not None and (scope.user_id, scope.mark) == (42, UNKNOWN)
    finally:
        close_read_scope(token)
    assert current_read_scope() is None


async def test_naming_another_user_forgets_the_mark_looked_up() -> None:
    token = open_read_scope()
    try:
        reading_as(1)
        scope = current_read_scope()
        assert scope is not None
        scope.mark = 1234
        reading_as(1)
        assert scope.mark == 1234
        reading_as(2)
        assert (scope.user_id, scope.mark) == (2, UNKNOWN)
    finally:
        close_read_scope(token)


async def _name(user_id: int) -> None:
    reading_as(user_id)
