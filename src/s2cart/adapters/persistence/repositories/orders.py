"""Orders in SQLAlchemy Core: the order row, its lines, and the stock and coupon ledgers it touches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, insert, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.gst_columns import gst_columns, gst_of
from s2cart.adapters.persistence.repositories.catalog import coupon_of
from s2cart.adapters.persistence.tables.catalog import coupons, products
from s2cart.adapters.persistence.tables.orders import coupon_redemptions, order_items, order_number_days, orders
from s2cart.domain.catalog.coupon import Coupon
from s2cart.domain.orders.order import DeliveryTime, Order, OrderLine
from s2cart.domain.orders.pricing import OrderTotals
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.shared.ids import is_storable_id


class SqlAlchemyOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _dialect(self) -> str:
        return self._session.bind.dialect.name

    async def add(self, order: Order) -> None:
        totals = order.totals
        result = await self._session.execute(
            insert(orders)
            .values(
                user_id=order.user_id,
                order_number=order.order_number,
                status=order.status.value,
                order_date=order.order_date,
                source_cart_id=order.source_cart_id,
                store_id=order.store_id,
                subtotal=totals.subtotal,
                tax_amount=totals.tax_amount,
                shipping_cost=totals.shipping_cost,
                discount_amount=totals.discount_amount,
                total_amount=totals.total_amount,
                coupon_code=order.coupon_code,
                shipping_address=order.shipping_address,
                delivery_instructions=order.delivery_instructions,
                preferred_delivery_time=order.preferred_delivery_time.value,
                estimated_delivery_date=order.estimated_delivery_date,
                refund_due=order.refund_due,
                updated_at=order.updated_at or order.order_date,
                **gst_columns(order),
            )
            .returning(orders.c.id)
        )
        order.id = result.scalar_one()
        saved: list[OrderLine] = []
        for line in order.lines:
            line_id = (
                await self._session.execute(
                    insert(order_items)
                    .values(
                        order_id=order.id,
                        store_id=line.store_id,
                        product_id=line.product_id,
                        product_name=line.product_name,
                        product_image_url=line.product_image_url,
                        product_variant=line.variant,
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
                    .returning(order_items.c.id)
                )
            ).scalar_one()
            saved.append(OrderLine(**{**line.__dict__, "id": line_id}))
        order.lines = saved

    async def get(self, user_id: int, order_id: int) -> Order | None:
        return await self._load(orders.c.id == order_id, orders.c.user_id == user_id)

    async def find(self, reference: str) -> Order | None:
        if reference.isdigit():
            return await self._load(orders.c.id == int(reference)) if is_storable_id(int(reference)) else None
        return await self._load(orders.c.order_number == reference)

    async def _load(self, *conditions: Any) -> Order | None:
        row = (await self._session.execute(select(orders).where(*conditions).with_for_update())).first()
        if row is None:
            return None
        lines = (
            await self._session.execute(
                select(order_items).where(order_items.c.order_id == row.id).order_by(order_items.c.id)
            )
        ).all()
        return Order(
            id=row.id,
            user_id=row.user_id,
            order_number=row.order_number,
            status=OrderStatus(row.status),
            order_date=row.order_date,
            source_cart_id=row.source_cart_id,
            store_id=row.store_id,
            lines=[
                OrderLine(
                    id=line.id,
                    store_id=line.store_id,
                    product_id=line.product_id,
                    product_name=line.product_name,
                    product_image_url=line.product_image_url,
                    variant=line.product_variant,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    hsn_code=line.hsn_code,
                    gst_rate=line.gst_rate,
                    taxable_value=line.taxable_value,
                    cgst_amount=line.cgst_amount,
                    sgst_amount=line.sgst_amount,
                    igst_amount=line.igst_amount,
                )
                for line in lines
            ],
            totals=OrderTotals(row.subtotal, row.tax_amount, row.shipping_cost, row.discount_amount, row.total_amount),
            coupon_code=row.coupon_code,
            shipping_address=row.shipping_address,
            estimated_delivery_date=row.estimated_delivery_date,
            delivery_instructions=row.delivery_instructions,
            preferred_delivery_time=DeliveryTime(row.preferred_delivery_time),
            tracking_number=row.tracking_number,
            carrier_name=row.carrier_name,
            shipped_at=row.shipped_at,
            actual_delivery_date=row.actual_delivery_date,
            cancellation_reason=row.cancellation_reason,
            cancelled_at=row.cancelled_at,
            paid_at=row.paid_at,
            refund_due=row.refund_due,
            updated_at=row.updated_at,
            **gst_of(row),
        )

    async def save_status(self, order: Order) -> None:
        await self._session.execute(
            update(orders)
            .where(orders.c.id == order.id)
            .values(
                status=order.status.value,
                tracking_number=order.tracking_number,
                carrier_name=order.carrier_name,
                shipped_at=order.shipped_at,
                actual_delivery_date=order.actual_delivery_date,
                cancellation_reason=order.cancellation_reason,
                cancelled_at=order.cancelled_at,
                paid_at=order.paid_at,
                refund_due=order.refund_due,
                updated_at=order.updated_at,
            )
        )

    async def placed_from_cart(self, user_id: int, cart_id: int) -> bool:
        query = select(literal(1)).where(orders.c.user_id == user_id, orders.c.source_cart_id == cart_id).limit(1)
        return (await self._session.execute(query)).first() is not None

    async def next_number(self, day: datetime) -> int:
        # One upsert: parallel checkouts on one day each get their own number, with no retry loop.
        insert_ = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert_(order_number_days).values(day=day.date(), last_value=1)
        result = await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[order_number_days.c.day],
                set_={"last_value": order_number_days.c.last_value + 1},
            ).returning(order_number_days.c.last_value)
        )
        return int(result.scalar_one())

    async def take_stock(self, store_id: str, product_id: str, quantity: int) -> bool:
        result = await self._session.execute(
            update(products)
            .where(
                products.c.store_id == store_id,
                products.c.id == product_id,
                or_(products.c.stock.is_(None), products.c.stock >= quantity),
            )
            .values(stock=products.c.stock - quantity)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def give_back_stock(self, store_id: str, product_id: str, quantity: int) -> None:
        await self._session.execute(
            update(products)
            .where(products.c.store_id == store_id, products.c.id == product_id, products.c.stock.is_not(None))
            .values(stock=products.c.stock + quantity)
        )

    async def lock_coupon(self, code: str) -> Coupon | None:
        row = (await self._session.execute(select(coupons).where(coupons.c.code == code).with_for_update())).first()
        return None if row is None else coupon_of(row)

    async def coupon_uses(self, code: str, user_id: int) -> tuple[int, int]:
        mine = func.sum(case((coupon_redemptions.c.user_id == user_id, 1), else_=0))
        row = (
            await self._session.execute(
                select(func.count(), func.coalesce(mine, 0)).where(coupon_redemptions.c.coupon_code == code)
            )
        ).one()
        return int(row[0]), int(row[1])

    async def redeem_coupon(self, code: str, user_id: int, order_id: int, now: datetime) -> None:
        await self._session.execute(
            insert(coupon_redemptions).values(order_id=order_id, coupon_code=code, user_id=user_id, redeemed_at=now)
        )

    async def release_coupon(self, order_id: int) -> None:
        await self._session.execute(delete(coupon_redemptions).where(coupon_redemptions.c.order_id == order_id))
