"""Saved cards and UPI ids, mapped imperatively; the user's row is the lock, as for carts (decision 0010)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.repositories.owner_lock import lock_owner
from s2cart.adapters.persistence.tables.payments import saved_cards, saved_upi_ids
from s2cart.domain.payments.methods import PaymentMethodBook, SavedCard, SavedUpi
from s2cart.domain.shared.errors import NotFound


class SqlAlchemyPaymentMethodRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._loaded: dict[int, list[Any]] = {}

    async def get(self, user_id: int) -> PaymentMethodBook:
        if not await lock_owner(self._session, user_id):
            raise NotFound("User not found")
        cards = await self._session.scalars(
            select(SavedCard).where(saved_cards.c.user_id == user_id).order_by(saved_cards.c.id)
        )
        upi_ids = await self._session.scalars(
            select(SavedUpi).where(saved_upi_ids.c.user_id == user_id).order_by(saved_upi_ids.c.id)
        )
        book = PaymentMethodBook(user_id, cards=list(cards), upi_ids=list(upi_ids))
        self._loaded[user_id] = [*book.cards, *book.upi_ids]
        return book

    async def save(self, book: PaymentMethodBook) -> None:
        kept = [*book.cards, *book.upi_ids]
        gone = [method for method in self._loaded.get(book.user_id, []) if all(method is not k for k in kept)]
        # The one-default index is checked row by row, and a flush orders its writes by kind (UPDATEs, INSERTs,
        # then DELETEs), not by meaning. So a default that moved to a stored method is held unset until the
        # old default is cleared or deleted, and deletes go first: they free what the rest may take.
        moved = [m for m in kept if m.is_default and inspect(m).persistent and _default_changed(m)]
        for method in moved:
            method.is_default = False
        for method in gone:
            await self._session.delete(method)
        if gone:
            await self._session.flush()
        book.removed.clear()
        self._session.add_all([method for method in kept if method not in self._session])
        await self._session.flush()
        for method in moved:
            method.is_default = True
        if moved:
            await self._session.flush()
        self._loaded[book.user_id] = kept


def _default_changed(method: Any) -> bool:
    return bool(inspect(method).attrs.is_default.history.has_changes())
