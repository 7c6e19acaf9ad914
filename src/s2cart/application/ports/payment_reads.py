"""The readers behind the payment pages: an order's latest attempt, the history, the saved methods."""

from __future__ import annotations

from typing import Protocol

from s2cart.application.payments.views import CardView, HistoryFilter, PaymentHistoryView, PaymentStatusView, UpiView
from s2cart.domain.shared.pagination import Page, PageRequest


class PaymentReader(Protocol):
    async def latest_of_order(self, user_id: int, order_id: int) -> PaymentStatusView | None: ...

    async def page(self, user_id: int, request: PageRequest, filters: HistoryFilter) -> Page[PaymentHistoryView]:
        """Newest first; a constant number of statements whatever the page holds."""
        ...


class PaymentMethodReader(Protocol):
    async def cards_of(self, user_id: int) -> list[CardView]:
        """Defaults first, then newest first."""
        ...

    async def upi_ids_of(self, user_id: int) -> list[UpiView]: ...
