"""A database that cannot be reached is StorageUnavailable in every adapter that opens a connection,
not only inside a unit of work (the readers and the session lookup use the engine directly)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from s2cart.adapters.persistence.engine import make_engine, make_reads
from s2cart.adapters.persistence.readers.carts import SqlAlchemyCartReader
from s2cart.adapters.persistence.readers.profile import SqlAlchemyProfileReader
from s2cart.adapters.persistence.readers.session_lookup import SqlAlchemySessionLookup
from s2cart.application.errors import StorageUnavailable
from tests.integration.mailbox import free_port


async def test_the_session_lookup_reports_an_unreachable_database_as_storage_unavailable() -> None:
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere")
    try:
        with pytest.raises(StorageUnavailable):
            await SqlAlchemySessionLookup(engine).by_session_id("any")
    finally:
        await engine.dispose()


async def test_the_cart_reader_reports_an_unreachable_database_as_storage_unavailable() -> None:
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere")
    try:
        with pytest.raises(StorageUnavailable):
            await SqlAlchemyCartReader(engine).carts_of(1)
    finally:
        await engine.dispose()


async def test_the_readers_own_pools_report_an_unreachable_database_promptly() -> None:
    # Decision 0044: the readers' pools (the read engine, the hot readers' psycopg pool) ping nothing and run a
    # read once more on a lost connection; a database that is not there still answers at once.
    reads = make_reads(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere", pool_size=2)
    try:
        started = time.monotonic()
        with pytest.raises(StorageUnavailable):
            await SqlAlchemyCartReader(reads).carts_of(1)  # type: ignore[arg-type]
        with pytest.raises(StorageUnavailable):
            await SqlAlchemySessionLookup(reads).by_session_id("any")  # type: ignore[arg-type]
        with pytest.raises(StorageUnavailable):
            await SqlAlchemyProfileReader(reads).profile(1, datetime.now(UTC))  # type: ignore[arg-type]
        assert time.monotonic() - started < 3
    finally:
        await reads.dispose()
