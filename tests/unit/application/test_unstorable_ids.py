"""An id no row can have (past 32 bits) is "not found" before it reaches a reader, where SQL would overflow."""

from __future__ import annotations

from typing import Any

import pytest

from s2cart.application.orders.queries import GetOrder
from s2cart.application.payments.queries import GetPaymentStatus
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.payments.errors import PaymentNotFound

TOO_BIG = 22928082907660796769075200  # what the contract fuzzer sent


class OverflowingReader:
    """Fails as SQLite does when handed an id past 64 bits."""

    async def one(self, user_id: int, order_id: int) -> Any:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    async def latest_of_order(self, user_id: int, order_id: int) -> Any:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")


async def test_an_order_id_past_the_column_is_not_found() -> None:
    with pytest.raises(OrderNotFound):
        await GetOrder(OverflowingReader())(1, TOO_BIG)  # type: ignore[arg-type]


async def test_a_payment_status_for_an_order_id_past_the_column_is_not_found() -> None:
    status = GetPaymentStatus(OverflowingReader(), settlement=None, clock=None, deadline=None)  # type: ignore[arg-type]
    with pytest.raises(PaymentNotFound):
        await status(1, TOO_BIG)
