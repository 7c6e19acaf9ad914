"""The order pages in SQLAlchemy Core: one statement for the count and the page, one for the page's lines and
one for its payments, each an autocommitted read on PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, String, bindparam, cast, func, select, true
from sqlalchemy.ext.asyncio import AsyncEngine

from s2cart.adapters.persistence.gst_columns import gst_of
from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.orders import order_items, orders
from s2cart.adapters.persistence.tables.payments import payments
from s2cart.application.orders.views import OrderItemView, OrderPaymentView, OrderView
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest

_SORT = ("order_date", "total_amount")
_ITEMS = (
    select(order_items).where(order_items.c.order_id.in_(bindparam("ids", expanding=True))).order_by(order_items.c.id)
)
_PAYMENTS = select(payments).where(payments.c.order_id.in_(bindparam("ids", expanding=True))).order_by(payments.c.id)


class SqlAlchemyOrderReader(Reader):
    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._sqlite = self._dialect == "sqlite"
        # Built once per (ordering, filtered): constructing the aliases and subqueries cost ~0.7 ms a request.
        self._page_queries: dict[tuple[str, bool, bool], Any] = {}

    def _order_by(self, table: Any, ordering: Ordering) -> list[ColumnElement[Any]]:
        column: Any = table.c[ordering.field]
        if ordering.field == "total_amount" and self._sqlite:
            column = cast(column, Float)  # SQLite keeps amounts as exact text, which sorts as text
        return [column.desc(), table.c.id.desc()] if ordering.descending else [column.asc(), table.c.id.asc()]

    async def page(self, user_id: int, request: PageRequest, ordering: Ordering, status: str | None) -> Page[OrderView]:
        if ordering.field not in _SORT:
            raise ValueError(f"unsupported ordering {ordering.field!r}")
        key = (ordering.field, ordering.descending, status is not None)
        query = self._page_queries.get(key)
        if query is None:
            query = self._page_queries[key] = self._page_query(ordering, filtered=status is not None)
        params: dict[str, Any] = {"user_id": user_id, "offset": request.offset, "limit": request.limit}
        if status is not None:
            params["status"] = status
        async with self.connect() as connection:
            found = (await connection.execute(query, params)).all()
            rows = [row for row in found if row.id is not None]
            items = await self._items(connection, [row.id for row in rows])
            paid = await self._payments(connection, [row.id for row in rows])
        views = [_view(row, items.get(row.id, ()), paid.get(row.id, ())) for row in rows]
        return Page(items=views, total_count=int(found[0].total), request=request)

    def _page_query(self, ordering: Ordering, *, filtered: bool) -> Any:
        """The count and the page in one statement, the page by a deferred join.

        ``picked`` finds the page's ids in the ordering index (user_id, order_date|total_amount, id), an index-only
        scan on PostgreSQL once the visibility map is set, so a deep OFFSET walks index entries rather than whole
        rows; only the page's rows are then read in full. The count is a one-row derived table that the page is
        LEFT JOINed to, so a page past the end (or an empty list) is still one row carrying the total, with NULL
        order columns. A window ``count(*) OVER ()`` was measured instead: it materialises every matching row
        before the OFFSET, so page 1 costs as much as the last page (1.7-2.4 ms against 0.6 ms for 10,000 orders).
        """

        def where(table: Any) -> list[ColumnElement[bool]]:
            conditions: list[ColumnElement[bool]] = [table.c.user_id == bindparam("user_id", type_=Integer)]
            if filtered:
                conditions.append(table.c.status == bindparam("status", type_=String))
            return conditions

        counted = orders.alias("counted")
        ranked = orders.alias("ranked")
        total = select(func.count().label("total")).select_from(counted).where(*where(counted)).subquery("total")
        picked = (
            select(ranked.c.id)
            .where(*where(ranked))
            .order_by(*self._order_by(ranked, ordering))
            .offset(bindparam("offset", type_=Integer))
            .limit(bindparam("limit", type_=Integer))
            .subquery("picked")
        )
        page_rows = orders.join(picked, picked.c.id == orders.c.id)
        return (
            select(total.c.total, *orders.c)
            .select_from(total.outerjoin(page_rows, true()))
            .order_by(*self._order_by(orders, ordering))
        )

    async def one(self, user_id: int, order_id: int) -> OrderView | None:
        async with self.connect() as connection:
            row = (
                await connection.execute(select(orders).where(orders.c.id == order_id, orders.c.user_id == user_id))
            ).first()
            if row is None:
                return None
            items = await self._items(connection, [row.id])
            paid = await self._payments(connection, [row.id])
        return _view(row, items.get(row.id, ()), paid.get(row.id, ()))

    @staticmethod
    async def _items(connection: Any, order_ids: list[int]) -> dict[int, tuple[OrderItemView, ...]]:
        if not order_ids:
            return {}
        found: dict[int, list[OrderItemView]] = defaultdict(list)
        for line in (await connection.execute(_ITEMS, {"ids": order_ids})).all():
            found[line.order_id].append(
                OrderItemView(
                    id=line.id,
                    product_id=line.product_id,
                    product_name=line.product_name,
                    product_image_url=line.product_image_url,
                    product_variant=line.product_variant,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    total_price=line.total_price,
                    hsn_code=line.hsn_code,
                    gst_rate=line.gst_rate,
                    taxable_value=line.taxable_value,
                    cgst_amount=line.cgst_amount,
                    sgst_amount=line.sgst_amount,
                    igst_amount=line.igst_amount,
                )
            )
        return {order_id: tuple(lines) for order_id, lines in found.items()}

    @staticmethod
    async def _payments(connection: Any, order_ids: list[int]) -> dict[int, tuple[OrderPaymentView, ...]]:
        """Every payment attempt of the orders, oldest first, in one statement."""
        if not order_ids:
            return {}
        found: dict[int, list[OrderPaymentView]] = defaultdict(list)
        for row in (await connection.execute(_PAYMENTS, {"ids": order_ids})).all():
            found[row.order_id].append(
                OrderPaymentView(
                    id=row.id,
                    transaction_id=row.transaction_id,
                    amount=row.amount,
                    status=row.status,
                    payment_type=row.payment_type,
                )
            )
        return {order_id: tuple(rows) for order_id, rows in found.items()}


def _view(row: Any, items: tuple[OrderItemView, ...], payments: tuple[OrderPaymentView, ...]) -> OrderView:
    place_of_supply, tax_breakup = gst_of(row, row.shipping_cost)
    return OrderView(
        id=row.id,
        order_number=row.order_number,
        status=row.status,
        order_date=row.order_date,
        subtotal=row.subtotal,
        tax_amount=row.tax_amount,
        shipping_cost=row.shipping_cost,
        discount_amount=row.discount_amount,
        total_amount=row.total_amount,
        coupon_code=row.coupon_code,
        tracking_number=row.tracking_number,
        carrier_name=row.carrier_name,
        estimated_delivery_date=row.estimated_delivery_date,
        actual_delivery_date=row.actual_delivery_date,
        shipping_address_details=row.shipping_address,
        delivery_instructions=row.delivery_instructions,
        preferred_delivery_time=row.preferred_delivery_time,
        cancellation_reason=row.cancellation_reason,
        cancelled_at=row.cancelled_at,
        paid_at=row.paid_at,
        items=items,
        payments=payments,
        tax_mode=row.tax_mode,
        place_of_supply=place_of_supply,
        tax_breakup=tax_breakup,
    )
