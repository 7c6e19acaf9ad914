"""ConflictRetry: a call whose first transaction the database aborted for a conflict is run again, a bounded
number of times, after a jittered pause; nothing else is retried (decision 0023)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import pytest

from s2cart.application.conflict_retry import ConflictRetry, transaction_committed, transaction_opened
from s2cart.application.errors import StorageUnavailable, TransactionConflict


class Transaction:
    """The part of a unit of work the retry listens to: it reports opening and committing."""

    async def __aenter__(self) -> Self:
        transaction_opened()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    async def commit(self) -> None:
        transaction_committed()


class Work:
    """One transaction that the database aborts with ``sqlstate`` the first ``conflicts`` times."""

    def __init__(self, conflicts: int, sqlstate: str = "40P01") -> None:
        self.conflicts = conflicts
        self.sqlstate = sqlstate
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        async with Transaction() as tx:
            if self.calls <= self.conflicts:
                raise TransactionConflict(self.sqlstate)
            await tx.commit()
        return "done"


def runner(retries: int, delays: list[float]) -> ConflictRetry:
    async def sleep(delay: float) -> None:
        delays.append(delay)

    return ConflictRetry(retries, base_delay=0.02, max_delay=0.05, sleep=sleep, jitter=lambda: 1.0)


async def test_a_deadlocked_call_is_run_again_until_it_succeeds() -> None:
    delays: list[float] = []
    retry, work = runner(3, delays), Work(conflicts=2)
    assert await retry.run(work) == "done"
    assert work.calls == 3
    assert (retry.retried, dict(retry.by_sqlstate), retry.gave_up) == (2, {"40P01": 2}, 0)
    assert delays == [0.02, 0.04]  # doubled per retry (jitter at its maximum here)


async def test_serialization_failures_are_retried_too_and_counted_apart() -> None:
    retry = runner(3, [])
    assert await retry.run(Work(conflicts=1, sqlstate="40001")) == "done"
    assert dict(retry.by_sqlstate) == {"40001": 1}


async def test_the_pause_is_capped_and_jittered() -> None:
    delays: list[float] = []

    async def sleep(delay: float) -> None:
        delays.append(delay)

    draws = iter([0.5, 0.25, 1.0, 0.0])
    retry = ConflictRetry(4, base_delay=0.02, max_delay=0.05, sleep=sleep, jitter=lambda: next(draws))
    await retry.run(Work(conflicts=4))
    assert delays == [0.01, 0.01, 0.05, 0.0]


async def test_it_gives_up_after_the_cap_with_the_conflict() -> None:
    delays: list[float] = []
    retry, work = runner(3, delays), Work(conflicts=100)
    with pytest.raises(TransactionConflict) as raised:
        await retry.run(work)
    assert isinstance(raised.value, StorageUnavailable) and raised.value.code == "SYS_503"  # a 503, as before
    assert work.calls == 4  # the first run and three retries
    assert (retry.retried, retry.gave_up) == (3, 1)
    assert len(delays) == 3


async def test_zero_retries_turns_it_off() -> None:
    retry, work = runner(0, []), Work(conflicts=1)
    with pytest.raises(TransactionConflict):
        await retry.run(work)
    assert work.calls == 1 and retry.retried == 0


@pytest.mark.parametrize("error", [StorageUnavailable(), ValueError("bug"), RuntimeError("x")])
async def test_other_errors_are_not_retried(error: Exception) -> None:
    calls = 0

    async def work() -> None:
        nonlocal calls
        calls += 1
        async with Transaction():
            raise error

    retry = runner(3, [])
    with pytest.raises(type(error)):
        await retry.run(work)
    assert calls == 1 and retry.retried == 0


async def test_a_call_is_not_run_again_once_a_transaction_committed() -> None:
    """A gateway or a mail may have been sent after the commit: repeating the call would repeat them."""
    sent: list[str] = []

    async def work() -> None:
        async with Transaction() as tx:
            await tx.commit()
        sent.append("gateway called")
        async with Transaction():
            raise TransactionConflict("40P01")

    retry = runner(3, [])
    with pytest.raises(TransactionConflict):
        await retry.run(work)
    assert sent == ["gateway called"]
    assert (retry.retried, retry.gave_up) == (0, 1)


async def test_a_call_is_not_run_again_when_its_second_transaction_fails() -> None:
    """A read transaction, then a status query to a gateway, then the conflict: the query is not repeated."""
    asked: list[str] = []

    async def work() -> None:
        async with Transaction():
            pass
        asked.append("status query")
        async with Transaction():
            raise TransactionConflict("40001")

    retry = runner(3, [])
    with pytest.raises(TransactionConflict):
        await retry.run(work)
    assert asked == ["status query"]


async def test_a_commit_that_fails_with_a_conflict_is_retried() -> None:
    calls = 0

    async def work() -> str:
        nonlocal calls
        calls += 1
        async with Transaction():
            if calls == 1:
                raise TransactionConflict("40001")  # as a serializable commit would
            transaction_committed()
        return "ok"

    assert await runner(3, []).run(work) == "ok"
    assert calls == 2


async def test_a_nested_call_leaves_the_retry_to_the_outermost() -> None:
    retry = runner(3, [])
    inner_work = Work(conflicts=1)
    outer_calls = 0

    async def outer() -> str:
        nonlocal outer_calls
        outer_calls += 1
        return await retry.run(inner_work)

    assert await retry.run(outer) == "done"
    assert (outer_calls, inner_work.calls, retry.retried) == (2, 2, 1)


def test_retries_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="retries"):
        ConflictRetry(-1)
