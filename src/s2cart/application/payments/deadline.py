"""One deadline per customer request for everything it asks of gateways, retries included.

A customer (or a gateway waiting on its callback) is never held for the adapters' own network timeouts,
which stay long enough for the reconciler. Past the deadline the call is cancelled and counts as "nothing
learned": the attempt keeps its stored state (PENDING) and the reconciler finishes the work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from s2cart.application.errors import GatewayUnavailable

T = TypeVar("T")

DEADLINE_REASON = "DEADLINE"
# A write (a refund) is started only with this much time left: one cut short after it reached the gateway is
# an unknown outcome, and one the gateway never saw would later read as "no such refund" (refused).
WRITE_NEEDS_SECONDS = 1.0


class Budget:
    """The time one request has left for gateway calls; ``None`` means unbounded (the reconciler)."""

    def __init__(self, ends_at: float | None) -> None:
        self._ends_at = ends_at

    def allows_write(self) -> bool:
        return self._ends_at is None or self._ends_at - asyncio.get_running_loop().time() >= WRITE_NEEDS_SECONDS

    async def run(self, gateway: str, call: Awaitable[T]) -> T:
        """Await ``call`` within what is left; past it, cancel the call and raise ``GatewayUnavailable``."""
        if self._ends_at is None:
            return await call
        try:
            async with asyncio.timeout_at(self._ends_at):
                return await call
        except TimeoutError:
            raise GatewayUnavailable(gateway, DEADLINE_REASON) from None


UNBOUNDED = Budget(None)


class GatewayDeadline:
    """How long a customer's request may wait on gateways in all (``S2CART_GATEWAY_DEADLINE_SECONDS``)."""

    def __init__(self, seconds: float | None) -> None:
        if seconds is not None and seconds <= 0:
            raise ValueError("the gateway deadline must be positive")
        self.seconds = seconds

    def start(self) -> Budget:
        if self.seconds is None:
            return UNBOUNDED
        return Budget(asyncio.get_running_loop().time() + self.seconds)
