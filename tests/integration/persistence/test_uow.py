from __future__ import annotations

from datetime import UTC, datetime

import pytest

from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.application.errors import StorageUnavailable
from s2cart.application.ports.outbox import OutboxMessage


def _message() -> OutboxMessage:
    return OutboxMessage(topic="test", payload={"n": 1}, created_at=datetime.now(UTC))


@pytest.fixture
async def uow_factory(database_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    yield lambda: SqlAlchemyUnitOfWork(factory)
    await engine.dispose()


async def _pending(uow_factory) -> int:  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        return await uow.outbox.count_pending()


async def test_nothing_is_kept_without_commit(uow_factory) -> None:  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        await uow.outbox.add(_message())
        assert await uow.outbox.count_pending() == 1
    assert await _pending(uow_factory) == 0


async def test_commit_keeps_the_change(uow_factory) -> None:  # type: ignore[no-untyped-def]
    message = _message()
    async with uow_factory() as uow:
        await uow.outbox.add(message)
        await uow.commit()
    assert message.id is not None
    assert await _pending(uow_factory) == 1


async def test_an_exception_rolls_back(uow_factory) -> None:  # type: ignore[no-untyped-def]
    async def failing_use_case() -> None:
        async with uow_factory() as uow:
            await uow.outbox.add(_message())
            raise ValueError("business rule broke")

    with pytest.raises(ValueError, match="business"):
        await failing_use_case()
    assert await _pending(uow_factory) == 0


async def test_an_unreachable_database_is_storage_unavailable() -> None:
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none")
    try:
        with pytest.raises(StorageUnavailable):
            async with SqlAlchemyUnitOfWork(make_session_factory(engine)) as uow:
                await uow.outbox.count_pending()
    finally:
        await engine.dispose()
