"""The lease rules of idempotency claims, through the application service on the real store (SQLite and
PostgreSQL), with a clock the test moves: a claim left unanswered past its lease is taken over by a retry with
the same body, exactly once among racing retries; the first holder, finishing late, writes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.repositories.idempotency import SqlAlchemyIdempotencyStore
from s2cart.adapters.persistence.session_factory import AsyncSessionFactory
from s2cart.adapters.persistence.tables.orders import idempotency_keys
from s2cart.application.idempotency import Idempotency, KeyInUse, Replay
from s2cart.application.ports.orders import KeyClaim
from s2cart.domain.shared.errors import Unprocessable
from tests.fakes import FakeClock

LEASE = timedelta(seconds=30)
SCOPE = "orders.create"
KEY = "checkout-7"
BODY = "a" * 64
OTHER_BODY = "b" * 64


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[AsyncSessionFactory]:
    engine = make_engine(database_url, pool_size=10, max_overflow=10)
    yield make_session_factory(engine)
    await engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def idempotency(sessions: AsyncSessionFactory, clock: FakeClock) -> Idempotency:
    return Idempotency(SqlAlchemyIdempotencyStore(sessions), clock, lease=LEASE)


async def claimed(idempotency: Idempotency, fingerprint: str = BODY, user_id: int = 1) -> KeyClaim:
    outcome = await idempotency.begin(user_id, SCOPE, KEY, fingerprint)
    assert isinstance(outcome, KeyClaim), outcome
    return outcome


async def rows(sessions: AsyncSessionFactory) -> list[tuple[str | None, int | None, bytes | None]]:
    T = idempotency_keys
    async with sessions() as session:
        found = await session.execute(select(T.c.claim_token, T.c.status_code, T.c.body))
        return [tuple(row) for row in found]  # type: ignore[misc]


async def test_a_live_claim_is_409_with_the_seconds_left_and_changes_nothing(
    idempotency: Idempotency, sessions: AsyncSessionFactory, clock: FakeClock
) -> None:
    first = await claimed(idempotency)
    clock.advance(seconds=20.5)
    with pytest.raises(KeyInUse) as refused:
        await idempotency.begin(1, SCOPE, KEY, BODY)
    assert (refused.value.code, refused.value.headers) == ("IDEMPOTENCY_002", {"Retry-After": "10"})
    clock.advance(seconds=9.4)  # 0.1 s before the lease lapses: still the first request's
    with pytest.raises(KeyInUse) as still:
        await idempotency.begin(1, SCOPE, KEY, BODY)
    assert still.value.retry_after == 1
    assert await rows(sessions) == [(first.token, None, None)]


async def test_an_unanswered_claim_past_its_lease_is_taken_over_and_its_answer_replayed(
    idempotency: Idempotency, sessions: AsyncSessionFactory, clock: FakeClock
) -> None:
    first = await claimed(idempotency)  # its worker dies here: nothing finishes or frees the key
    clock.advance(seconds=30)
    second = await claimed(idempotency)
    assert second.token != first.token
    assert await idempotency.finish(second, 201, b'{"id": 2}') is True
    clock.advance(hours=1)
    assert await idempotency.begin(1, SCOPE, KEY, BODY) == Replay(201, b'{"id": 2}')
    assert await rows(sessions) == [(second.token, 201, b'{"id": 2}')]


async def test_a_takeover_starts_a_new_lease(idempotency: Idempotency, clock: FakeClock) -> None:
    await claimed(idempotency)
    clock.advance(seconds=31)
    await claimed(idempotency)
    clock.advance(seconds=29)
    with pytest.raises(KeyInUse):
        await idempotency.begin(1, SCOPE, KEY, BODY)
    clock.advance(seconds=1)
    await claimed(idempotency)


async def test_another_body_never_takes_a_key_over(
    idempotency: Idempotency, sessions: AsyncSessionFactory, clock: FakeClock
) -> None:
    first = await claimed(idempotency)
    clock.advance(minutes=10)
    with pytest.raises(Unprocessable) as refused:
        await idempotency.begin(1, SCOPE, KEY, OTHER_BODY)
    assert refused.value.code == "IDEMPOTENCY_001"
    # The first holder still owns it: a slow first request that answers now is stored and replayed.
    assert await idempotency.finish(first, 201, b'{"id": 1}') is True
    assert await idempotency.begin(1, SCOPE, KEY, BODY) == Replay(201, b'{"id": 1}')


async def test_an_answer_is_replayed_however_long_after_the_lease(idempotency: Idempotency, clock: FakeClock) -> None:
    first = await claimed(idempotency)
    clock.advance(seconds=5)
    assert await idempotency.finish(first, 201, b'{"id": 1}') is True
    clock.advance(hours=23)
    assert await idempotency.begin(1, SCOPE, KEY, BODY) == Replay(201, b'{"id": 1}')


async def test_the_first_holder_finishing_late_does_not_clobber_the_new_holder(
    idempotency: Idempotency, sessions: AsyncSessionFactory, clock: FakeClock
) -> None:
    first = await claimed(idempotency)
    clock.advance(seconds=45)  # the first request is slow, not dead
    second = await claimed(idempotency)

    assert await idempotency.finish(first, 201, b'{"by": "first"}') is False  # nothing stored
    with pytest.raises(KeyInUse):  # the key is still the second's, running under a live lease
        await idempotency.begin(1, SCOPE, KEY, BODY)
    await idempotency.abandon(first)  # nor can the first free the key the second holds
    assert await rows(sessions) == [(second.token, None, None)]

    assert await idempotency.finish(second, 201, b'{"by": "second"}') is True
    assert await idempotency.finish(first, 201, b'{"by": "first"}') is False  # nor overwrite a stored answer
    assert await idempotency.begin(1, SCOPE, KEY, BODY) == Replay(201, b'{"by": "second"}')


async def test_a_failed_run_frees_the_key_at_once(idempotency: Idempotency, sessions: AsyncSessionFactory) -> None:
    first = await claimed(idempotency)
    await idempotency.abandon(first)
    assert await rows(sessions) == []
    await claimed(idempotency)


async def test_a_claim_from_before_leases_is_free_to_take_over(
    idempotency: Idempotency, sessions: AsyncSessionFactory, clock: FakeClock
) -> None:
    async with sessions() as session:  # what the previous release left behind when its worker died
        await session.execute(
            insert(idempotency_keys).values(user_id=1, scope=SCOPE, key=KEY, fingerprint=BODY, created_at=clock.now())
        )
        await session.commit()
    await claimed(idempotency)


async def test_keys_are_per_user(idempotency: Idempotency) -> None:
    await claimed(idempotency, user_id=1)
    await claimed(idempotency, user_id=2)


async def test_racing_retries_take_a_lapsed_claim_over_exactly_once(
    idempotency: Idempotency, sessions: AsyncSessionFactory, clock: FakeClock
) -> None:
    for round_ in range(10):
        key = f"race-{round_}"
        assert isinstance(await idempotency.begin(1, SCOPE, key, BODY), KeyClaim)
        clock.advance(seconds=31)

        async def retry(key: str = key) -> KeyClaim | None:
            try:
                outcome = await idempotency.begin(1, SCOPE, key, BODY)
            except KeyInUse:
                return None
            assert isinstance(outcome, KeyClaim)
            return outcome

        outcomes = await asyncio.gather(*(retry() for _ in range(8)))
        winners = [claim for claim in outcomes if claim is not None]
        assert len(winners) == 1, outcomes
        async with sessions() as session:
            token = (
                await session.execute(select(idempotency_keys.c.claim_token).where(idempotency_keys.c.key == key))
            ).scalar_one()
        assert token == winners[0].token
