"""ListPaymentMethods: the caller's saved cards and UPI ids, read straight from the tables."""

from __future__ import annotations

from s2cart.application.payments.views import CardView, UpiView
from s2cart.application.ports.payment_reads import PaymentMethodReader


class ListPaymentMethods:
    def __init__(self, reader: PaymentMethodReader) -> None:
        self._reader = reader

    async def cards(self, user_id: int) -> list[CardView]:
        return await self._reader.cards_of(user_id)

    async def upi_ids(self, user_id: int) -> list[UpiView]:
        return await self._reader.upi_ids_of(user_id)
