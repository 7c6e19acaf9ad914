"""The operator's lists ask the reader with the filters they were given: email by its key, "locked" on the clock."""

from __future__ import annotations

from typing import Any

import pytest

from s2cart.application.operations.queries import ListAllOrders, ListAllPayments, ListAllTickets, ListUsers
from s2cart.application.operations.views import OrderFilter, PaymentFilter, TicketFilter, UserFilter
from s2cart.domain.shared.errors import ValidationFailed
from tests.fakes import FakeClock


class RecordingReader:
    def __init__(self) -> None:
        self.asked: list[Any] = []

    async def _remember(self, filters: Any) -> list[Any]:
        self.asked.append(filters)
        return []

    orders = tickets = users = payments = _remember


async def test_each_list_passes_its_filters_to_the_reader() -> None:
    reader, clock = RecordingReader(), FakeClock()

    await ListAllOrders(reader)(status="PLACED", email="  Asha@Example.COM ", limit=5)
    await ListAllTickets(reader)(status="OPEN")
    await ListUsers(reader, clock)(unverified=True, locked=True)
    await ListUsers(reader, clock)()
    await ListAllPayments(reader)(status="PENDING", gateway="PAYTM", limit=1000)

    assert reader.asked == [
        OrderFilter("PLACED", None, "asha@example.com", 5),
        TicketFilter("OPEN", 50),
        UserFilter(True, clock.now(), 50),
        UserFilter(False, None, 50),
        PaymentFilter("PENDING", "PAYTM", 1000),
    ]


@pytest.mark.parametrize("limit", [0, -1, 1001])
async def test_a_limit_outside_1_to_1000_is_refused_before_reading(limit: int) -> None:
    reader = RecordingReader()
    with pytest.raises(ValidationFailed, match="limit must be between 1 and 1000"):
        await ListAllPayments(reader)(limit=limit)
    assert reader.asked == []
