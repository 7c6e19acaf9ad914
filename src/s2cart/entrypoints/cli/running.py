"""Running one operator command against a container of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from s2cart.entrypoints.logs import report_error
from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    from s2cart.entrypoints.container import Container


def run_in_container(settings: Settings, work: Callable[[Container], Awaitable[int]]) -> int:
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
