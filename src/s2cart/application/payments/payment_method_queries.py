"""ListPaymentMethods: the caller's saved cards and UPI ids, read straight from the tables."""

from __future__ import annotations

from typing import Protocol

from s2cart.application.payments.views import CardView, UpiView


class PaymentMethodReader(Protocol):
    async def cards_of(self, user_id: int) -> list[CardView]:
        """Defaults first, then newest first."""
        ...

    async def upi_ids_of(self, user_id: int) -> list[UpiView]: ...


class ListPaymentMethods:
    def __init__(self, reader: PaymentMethodReader) -> None:
        self._reader = reader

    async def cards(self, user_id: int) -> list[CardView]:
        return await self._reader.cards_of(user_id)

    async def upi_ids(self, user_id: int) -> list[UpiView]:
        return await self._reader.upi_ids_of(user_id)
