"""ListOrders and GetOrder: the caller's orders, a page at a time, each with its lines and payments."""

from __future__ import annotations

from s2cart.application.orders.views import OrderView
from s2cart.application.ports.orders import OrderReader
from s2cart.domain.orders.errors import OrderNotFound
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.ids import is_storable_id
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest

ORDERINGS = ("order_date", "total_amount")
DEFAULT_ORDERING = "-order_date"


class ListOrders:
    def __init__(self, reader: OrderReader) -> None:
        self._reader = reader

    async def __call__(
        self, user_id: int, request: PageRequest, ordering: str | None = None, status: str | None = None
    ) -> Page[OrderView]:
        order = Ordering.parse(ordering, ORDERINGS, DEFAULT_ORDERING)
        if status is not None and status not in OrderStatus.__members__:
            raise ValidationFailed.on("status", f"Unknown status '{status[:30]}'.")
        return await self._reader.page(user_id, request, order, status)


class GetOrder:
    def __init__(self, reader: OrderReader) -> None:
        self._reader = reader

    async def __call__(self, user_id: int, order_id: int) -> OrderView:
        # An id no row can have names nothing: 404, and it never reaches SQL as an overflow.
        view = await self._reader.one(user_id, order_id) if is_storable_id(order_id) else None
        if view is None:
            raise OrderNotFound()
        return view
