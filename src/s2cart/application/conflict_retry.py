"""ConflictRetry: run a use case again when the database aborted its transaction to break a conflict.

Decision 0023. PostgreSQL resolves a deadlock (SQLSTATE 40P01) or a serialization failure (40001) by
aborting one of the transactions involved; the unit of work reports it as ``TransactionConflict``. The
work itself was sound, so running the whole call again, after a short random pause, normally succeeds.

A call is run again only while nothing outside the database can have happened: the failing transaction is
the first one the call opened and nothing was committed. Gateways and mail are only ever called between
transactions (architecture rule 11), so a call that has opened a second one is never repeated. Units of work
report their transactions through ``transaction_opened`` and ``transaction_committed``.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from s2cart.application.errors import TransactionConflict

T = TypeVar("T")

logger = logging.getLogger("s2cart.transactions")


@dataclass
class _Attempt:
    opened: int = 0
    committed: bool = False


_attempt: ContextVar[_Attempt | None] = ContextVar("s2cart_transaction_attempt", default=None)


def transaction_opened() -> None:
    """Called by a unit of work as it begins."""
    attempt = _attempt.get()
    if attempt is not None:
        attempt.opened += 1


def transaction_committed() -> None:
    """Called by a unit of work once its commit succeeded."""
    attempt = _attempt.get()
    if attempt is not None:
        attempt.committed = True


class ConflictRetry:
    """Re-runs a call up to ``retries`` times on ``TransactionConflict``, pausing a random time (full
    jitter) up to ``base_delay`` doubled per retry, at most ``max_delay``. ``retried`` counts the re-runs,
    ``by_sqlstate`` the same per SQLSTATE, ``gave_up`` the conflicts that reached the caller."""

    def __init__(
        self,
        retries: int,
        *,
        base_delay: float = 0.02,
        max_delay: float = 0.5,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if retries < 0:
            raise ValueError("retries must be >= 0")
        self.retries = retries
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._sleep = sleep
        self._jitter = jitter
        self.retried = 0
        self.gave_up = 0
        self.by_sqlstate: Counter[str] = Counter()

    async def run(self, work: Callable[[], Awaitable[T]], name: str = "work") -> T:
        if _attempt.get() is not None:
            # A use case called by another: the outermost call is the unit that is run again.
            return await work()
        failures = 0
        while True:
            attempt = _Attempt()
            token = _attempt.set(attempt)
            try:
                return await work()
            except TransactionConflict as exc:
                if not self._may_retry(exc, attempt, failures, name):
                    self.gave_up += 1
                    raise
                failures += 1
                self.retried += 1
                self.by_sqlstate[exc.sqlstate] += 1
                delay = self._jitter() * min(self._max_delay, self._base_delay * 2 ** (failures - 1))
                logger.info(
                    "%s: transaction conflict %s; running it again (retry %d of %d, in %.0f ms)",
                    name,
                    exc.sqlstate,
                    failures,
                    self.retries,
                    delay * 1000,
                )
            finally:
                _attempt.reset(token)
            await self._sleep(delay)

    def _may_retry(self, exc: TransactionConflict, attempt: _Attempt, failures: int, name: str) -> bool:
        if attempt.committed or attempt.opened > 1:
            logger.warning(
                "%s: transaction conflict %s after a commit or an earlier transaction of the call; not run again",
                name,
                exc.sqlstate,
            )
            return False
        if failures >= self.retries:
            logger.warning("%s: transaction conflict %s; gave up after %d retries", name, exc.sqlstate, failures)
            return False
        return True
