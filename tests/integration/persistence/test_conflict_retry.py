"""A real PostgreSQL deadlock reaches the conflict retry as TransactionConflict(40P01) and is run again; the
container wraps every use case on the unit of work in that retry (decision 0023)."""

from __future__ import annotations

import asyncio
from collections import Counter
from functools import partial

import msgspec
import pytest

from s2cart.application.catalog.catalog_document import parse_catalog_document
from s2cart.application.conflict_retry import ConflictRetry
from s2cart.application.errors import StorageUnavailable, TransactionConflict
from s2cart.application.orders.cancel_order import CancelOrder
from s2cart.application.orders.place_order import PlaceOrder
from s2cart.application.payments.settlement import Settlement
from s2cart.entrypoints.conflict_retry import retrying
from s2cart.entrypoints.container import Container, build_container, close_resources
from s2cart.entrypoints.settings import Settings

STORE = "store_locks"
STOCK = 50
CATALOG = {
    "stores": [{"id": STORE, "name": "Locks"}],
    "products": [{"store_id": STORE, "id": p, "name": p, "price": "1.00", "stock": STOCK} for p in ("a", "b")],
}


async def _stock(container: Container) -> tuple[int | None, int | None]:
    async with container.uow() as uow:
        a, b = await uow.catalog.product(STORE, "a"), await uow.catalog.product(STORE, "b")
    assert a is not None and b is not None
    return a.stock, b.stock


async def _opposite_order_race(container: Container) -> tuple[list[object], Counter[str]]:
    """Two transactions take stock of a and b in opposite orders, each holding its first row until the
    other holds its own: PostgreSQL must abort one of them (40P01)."""
    retry: ConflictRetry = container.conflict_retry()
    holding = {"a": asyncio.Event(), "b": asyncio.Event()}
    runs: Counter[str] = Counter()

    async def take(first: str, second: str) -> None:
        runs[first] += 1
        async with container.uow() as uow:
            assert await uow.orders.take_stock(STORE, first, 1)
            holding[first].set()
            await holding[second].wait()
            assert await uow.orders.take_stock(STORE, second, 1)
            await uow.commit()

    outcomes = await asyncio.gather(
        retry.run(partial(take, "a", "b")), retry.run(partial(take, "b", "a")), return_exceptions=True
    )
    return outcomes, runs


@pytest.fixture
async def pg_container(backend: str, settings: Settings) -> Container:
    if backend != "postgresql":
        pytest.skip("row locks and deadlock detection are PostgreSQL's (SQLite runs one writer at a time)")
    container = build_container(settings)
    await container.load_catalog()(parse_catalog_document(CATALOG))
    return container


async def test_a_deadlocked_transaction_is_run_again_and_both_succeed(pg_container: Container) -> None:
    try:
        outcomes, runs = await _opposite_order_race(pg_container)
        assert outcomes == [None, None]
        retry = pg_container.conflict_retry()
        assert (retry.retried, dict(retry.by_sqlstate), retry.gave_up) == (1, {"40P01": 1}, 0)
        assert sum(runs.values()) == 3
        assert await _stock(pg_container) == (STOCK - 2, STOCK - 2)
    finally:
        await close_resources(pg_container)


async def test_without_retries_the_victim_is_a_storage_failure_and_changes_nothing(
    backend: str, settings: Settings
) -> None:
    if backend != "postgresql":
        pytest.skip("row locks and deadlock detection are PostgreSQL's")
    container = build_container(msgspec.structs.replace(settings, database_conflict_retries=0))
    await container.load_catalog()(parse_catalog_document(CATALOG))
    try:
        outcomes, _ = await _opposite_order_race(container)
        failed = [o for o in outcomes if o is not None]
        assert len(failed) == 1 and isinstance(failed[0], TransactionConflict), outcomes
        assert isinstance(failed[0], StorageUnavailable) and failed[0].sqlstate == "40P01"  # 503 SYS_503
        assert await _stock(container) == (STOCK - 1, STOCK - 1)  # the survivor's, nothing of the victim's
    finally:
        await close_resources(container)


def test_the_container_wraps_use_cases_on_the_unit_of_work_and_nothing_else(settings: Settings) -> None:
    container = build_container(settings)
    for use_case, cls in ((container.place_order(), PlaceOrder), (container.cancel_order(), CancelOrder)):
        assert isinstance(use_case, cls) and type(use_case) is retrying(cls)  # Litestar still sees a PlaceOrder
        assert use_case._conflict_retry is container.conflict_retry()  # type: ignore[attr-defined]
    assert type(container.settlement()) is Settlement  # a helper without __call__: used by use cases
    assert not hasattr(container.list_orders(), "_conflict_retry")  # a query on a reader, no unit of work
