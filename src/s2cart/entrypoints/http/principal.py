"""Authentication at the edge: the Authorization header becomes a Principal for the handlers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from litestar import Request

from s2cart.application.auth.authenticate import Authenticate
from s2cart.application.auth.principal import Principal
from s2cart.application.read_scope import reading_as
from s2cart.domain.shared.errors import AuthenticationFailed
from s2cart.domain.users.errors import AccountNotVerified

SECURITY = [{"BearerAuth": []}, {"TokenAuth": []}]
T = TypeVar("T")


def credential_of(request: Request[Any, Any, Any]) -> str:
    """``Bearer <jwt>``, ``Token <key>``, or ``Bearer <key>`` with a legacy key."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if not header:
        raise AuthenticationFailed("Authentication credentials were not provided.", code="AUTH_005")
    if scheme.lower() not in ("bearer", "token") or not value or len(value) > 4096:
        raise AuthenticationFailed("Invalid token", code="AUTH_005")
    return value


def principal_providers(
    authenticate: Callable[[], Authenticate],
) -> tuple[
    Callable[[Request[Any, Any, Any]], Awaitable[Principal]],
    Callable[[Request[Any, Any, Any]], Awaitable[Principal]],
]:
    async def provide_any_principal(request: Request[Any, Any, Any]) -> Principal:
        # The rate limiter may have resolved the caller already; one lookup a request is enough.
        principal = request.scope["state"].get("principal") or await _finished_even_if_cancelled(
            authenticate()(credential_of(request))
        )
        request.scope["state"]["user_id"] = principal.user_id
        reading_as(principal.user_id)
        return principal

    async def provide_principal(request: Request[Any, Any, Any]) -> Principal:
        principal = await provide_any_principal(request)
        if not principal.is_verified:
            # A registration token may read its profile and verify; everything else waits for verification.
            raise AccountNotVerified()
        return principal

    return provide_principal, provide_any_principal


async def _finished_even_if_cancelled(work: Awaitable[T]) -> T:
    """Litestar resolves sibling dependencies concurrently and cancels the others when one fails (a bad
    ``page_size`` next to the principal). A database read cancelled half-way can leave its pooled connection
    waiting forever (seen with aiosqlite), so the lookup runs to its end on its own and only the wait is cancelled.
    """
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        task.add_done_callback(_consume)
        raise


def _consume(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved: nobody waits for it any more, and it must not be logged as lost
