"""Statements per payment-method change: the Core repository as it was (``git show`` of main, saved beside this
file as ``_core_payment_methods.py``) against the mapped one (decision 0031). SQLite in a temp file, or the
PostgreSQL server given (a database is created and dropped).

    .venv/bin/python bench/payment_method_statements.py [postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event, insert
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _core_payment_methods import SqlAlchemyPaymentMethodRepository as CoreRepository

from s2cart.adapters.persistence import migrator
from s2cart.adapters.persistence.engine import make_engine, make_session_factory
from s2cart.adapters.persistence.tables.users import users
from s2cart.adapters.persistence.uow import SqlAlchemyUnitOfWork
from s2cart.domain.payments.methods import CardBrand, PaymentMethodBook, SavedCard, SavedUpi

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def card(user_id: int, last_four: str) -> SavedCard:
    return SavedCard(user_id, CardBrand.VISA, last_four, 12, 2030, "A B", None, "sealed", NOW)


STEPS: list[tuple[str, Any]] = [
    ("add first card", lambda b: b.add_card(card(b.user_id, "1111"), NOW)),
    ("add second card", lambda b: b.add_card(card(b.user_id, "2222"), NOW)),
    ("add a UPI id", lambda b: b.add_upi(SavedUpi(b.user_id, "a@upi", None, NOW))),
    ("set default card", lambda b: b.set_default("card", b.cards[1].id)),
    ("remove default card", lambda b: b.remove("card", b.cards[1].id)),
]


async def run(url: str, core: bool) -> list[tuple[str, int]]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    async with engine.begin() as connection:
        name = uuid.uuid4().hex[:8]
        user_id = (
            await connection.execute(
                insert(users)
                .values(
                    username=name,
                    username_key=name,
                    email=f"{name}@x.test",
                    email_key=f"{name}@x.test",
                    password_hash="x",
                    date_joined=NOW,
                    updated_at=NOW,
                )
                .returning(users.c.id)
            )
        ).scalar_one()
    seen = [0]

    def count(_c: Any, _k: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen[0] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    counted = []
    for label, step in STEPS:
        seen[0] = 0
        async with SqlAlchemyUnitOfWork(factory) as uow:
            repository = CoreRepository(uow.session) if core else uow.payment_methods
            book: PaymentMethodBook = await repository.get(user_id)
            step(book)
            await repository.save(book)
            await uow.commit()
        counted.append((label, seen[0]))
    await engine.dispose()
    return counted


async def compare(url: str) -> None:
    core, mapped = await run(url, core=True), await run(url, core=False)
    for (label, before), (_, after) in zip(core, mapped, strict=True):
        print(f"{make_url(url).get_backend_name():<10} {label:<20} Core {before}  mapped {after}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'methods.db'}"
        migrator.upgrade(url)
        asyncio.run(compare(url))
    if len(sys.argv) > 1:
        name = f"s2cart_methods_{uuid.uuid4().hex[:8]}"
        admin = make_url(sys.argv[1]).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            url = make_url(sys.argv[1]).set(database=name).render_as_string(hide_password=False)
            migrator.upgrade(url)
            asyncio.run(compare(url))
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
