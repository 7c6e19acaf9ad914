# The Core payment-method repository as it was before decision 0031, kept for bench/payment_method_statements.py.
"""Saved cards and UPI ids in SQLAlchemy Core; the user's row is the lock, as for carts (decision 0010)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.repositories.owner_lock import lock_owner
from s2cart.adapters.persistence.tables.payments import saved_cards, saved_upi_ids
from s2cart.domain.payments.methods import CardBrand, PaymentMethodBook, SavedCard, SavedUpi
from s2cart.domain.shared.errors import NotFound


class SqlAlchemyPaymentMethodRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> PaymentMethodBook:
        await self._lock(user_id)
        cards = await self._session.execute(
            select(saved_cards).where(saved_cards.c.user_id == user_id).order_by(saved_cards.c.id)
        )
        upi_ids = await self._session.execute(
            select(saved_upi_ids).where(saved_upi_ids.c.user_id == user_id).order_by(saved_upi_ids.c.id)
        )
        return PaymentMethodBook(
            user_id,
            cards=[_card(row) for row in cards],
            upi_ids=[
                SavedUpi(row.user_id, row.upi_id, row.nickname, row.created_at, row.is_default, row.id)
                for row in upi_ids
            ],
        )

    async def save(self, book: PaymentMethodBook) -> None:
        for kind, method_id in book.removed:
            table = saved_cards if kind == "card" else saved_upi_ids
            await self._session.execute(delete(table).where(table.c.id == method_id, table.c.user_id == book.user_id))
        book.removed.clear()
        # Defaults off first, then on: the one-default index must hold after every statement.
        for table, methods in ((saved_cards, book.cards), (saved_upi_ids, book.upi_ids)):
            kept = [m.id for m in methods if m.id is not None and not m.is_default]
            if kept:
                await self._session.execute(update(table).where(table.c.id.in_(kept)).values(is_default=False))
            for method in methods:
                if method.id is not None and method.is_default:
                    await self._session.execute(update(table).where(table.c.id == method.id).values(is_default=True))
        for card in book.cards:
            if card.id is None:
                card.id = await self._insert(saved_cards, _card_values(card))
        for upi in book.upi_ids:
            if upi.id is None:
                values = {
                    "user_id": upi.user_id,
                    "upi_id": upi.upi_id,
                    "nickname": upi.nickname,
                    "is_default": upi.is_default,
                    "created_at": upi.created_at,
                }
                upi.id = await self._insert(saved_upi_ids, values)

    async def _insert(self, table: Any, values: dict[str, Any]) -> int:
        result = await self._session.execute(insert(table).values(**values).returning(table.c.id))
        return int(result.scalar_one())

    async def _lock(self, user_id: int) -> None:
        if not await lock_owner(self._session, user_id):
            raise NotFound("User not found")


def _card(row: Any) -> SavedCard:
    return SavedCard(
        user_id=row.user_id,
        brand=CardBrand(row.card_type),
        last_four=row.last_four,
        expiry_month=row.expiry_month,
        expiry_year=row.expiry_year,
        holder_name=row.holder_name,
        nickname=row.nickname,
        sealed_token=row.sealed_token,
        created_at=row.created_at,
        is_default=row.is_default,
        id=row.id,
    )


def _card_values(card: SavedCard) -> dict[str, Any]:
    return {
        "user_id": card.user_id,
        "card_type": card.brand.value,
        "last_four": card.last_four,
        "expiry_month": card.expiry_month,
        "expiry_year": card.expiry_year,
        "holder_name": card.holder_name,
        "nickname": card.nickname,
        "sealed_token": card.sealed_token,
        "is_default": card.is_default,
        "created_at": card.created_at,
    }
