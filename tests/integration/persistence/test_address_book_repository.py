"""The address book repository against real databases: the default index and the order of writes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.tables.addresses import addresses
from s2cart.adapters.persistence.tables.users import users
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.domain.addresses.address import AddressFields

NOW = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
HOME = AddressFields(
    contact_name="John Doe",
    street_address="123 Main Street",
    city="Mumbai",
    state="Maharashtra",
    pin_code="400001",
    phone_number="+919876543210",
)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(
            insert(users).values(
                id=1,
                username="asha",
                username_key="asha",
                email="asha@example.com",
                email_key="asha@example.com",
                password_hash="x",
                date_joined=NOW,
                updated_at=NOW,
            )
        )
    yield engine
    await engine.dispose()


@pytest.fixture
def uow(engine: AsyncEngine) -> Callable[[], SqlAlchemyUnitOfWork]:
    factory = make_session_factory(engine)
    return lambda: SqlAlchemyUnitOfWork(factory)


async def _defaults(engine: AsyncEngine) -> dict[int, bool]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(addresses.c.id, addresses.c.is_default).order_by(addresses.c.id))
        return {row.id: row.is_default for row in rows}


async def _three(uow: Callable[[], SqlAlchemyUnitOfWork]) -> list[int]:
    async with uow() as work:
        book = await work.addresses.get(1)
        added = [book.add(HOME, NOW) for _ in range(3)]
        await work.addresses.save(book)
        await work.commit()
    return [a.id or 0 for a in added]


async def test_moving_the_default_to_a_lower_id_passes_the_index(
    uow: Callable[[], SqlAlchemyUnitOfWork], engine: AsyncEngine
) -> None:
    first, second, third = await _three(uow)
    async with uow() as work:
        book = await work.addresses.get(1)
        book.set_default(third, NOW)
        await work.addresses.save(book)
        await work.commit()
    # Written in primary-key order, setting the lower id first would meet the old default in the index.
    async with uow() as work:
        book = await work.addresses.get(1)
        book.set_default(second, NOW)
        await work.addresses.save(book)
        await work.commit()
    assert await _defaults(engine) == {first: False, second: True, third: False}


async def test_deleting_the_default_and_promoting_is_one_save(
    uow: Callable[[], SqlAlchemyUnitOfWork], engine: AsyncEngine
) -> None:
    first, second, third = await _three(uow)
    async with uow() as work:
        book = await work.addresses.get(1)
        book.set_default(third, NOW)
        await work.addresses.save(book)
        await work.commit()
    async with uow() as work:
        book = await work.addresses.get(1)
        book.update(first, {"landmark": "Gate 2"}, datetime(2026, 2, 1, tzinfo=UTC))
        book.remove(third, datetime(2026, 2, 2, tzinfo=UTC))
        await work.addresses.save(book)
        await work.commit()
    assert await _defaults(engine) == {first: True, second: False}


async def test_nothing_is_kept_without_commit(uow: Callable[[], SqlAlchemyUnitOfWork], engine: AsyncEngine) -> None:
    async with uow() as work:
        book = await work.addresses.get(1)
        book.add(HOME, NOW)
        await work.addresses.save(book)
    assert await _defaults(engine) == {}


async def test_the_index_refuses_a_second_default(engine: AsyncEngine) -> None:
    row = {
        "user_id": 1,
        "contact_name": "x",
        "street_address": "x",
        "city": "x",
        "state": "x",
        "pin_code": "400001",
        "phone_number": "+919876543210",
        "is_default": True,
        "created_at": NOW,
        "updated_at": NOW,
    }
    async with engine.begin() as connection:
        await connection.execute(insert(addresses).values(**row))
        await connection.execute(insert(addresses).values(**{**row, "is_default": False}))
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(insert(addresses).values(**row))
    assert sorted((await _defaults(engine)).values()) == [False, True]


async def test_owned_reads_only_the_users_own_address(uow: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    first, _, _ = await _three(uow)
    async with uow() as work:
        mine = await work.addresses.owned(1, first)
        theirs = await work.addresses.owned(2, first)
    assert mine is not None and mine.snapshot()["pin_code"] == "400001"
    assert theirs is None
