"""Orders: the order and its lines mapped (``mappers.map_orders``); the stock and coupon ledgers and the
day's number are single set-based statements (decision 0031)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, insert, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.repositories.catalog import coupon_of
from s2cart.adapters.persistence.tables.catalog import coupons, products
from s2cart.adapters.persistence.tables.orders import coupon_redemptions, order_number_days, orders
from s2cart.domain.catalog.coupon import Coupon
from s2cart.domain.orders.order import Order
from s2cart.domain.shared.ids import is_storable_id


class SqlAlchemyOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _dialect(self) -> str:
        return self._session.bind.dialect.name

    async def add(self, order: Order) -> None:
        self._session.add(order)
        await self._session.flush()  # order.id and the lines' ids are set

    async def get(self, user_id: int, order_id: int) -> Order | None:
        return await self._load(orders.c.id == order_id, orders.c.user_id == user_id)

    async def find(self, reference: str) -> Order | None:
        if reference.isdigit():
            return await self._load(orders.c.id == int(reference)) if is_storable_id(int(reference)) else None
        return await self._load(orders.c.order_number == reference)

    async def _load(self, *conditions: Any) -> Order | None:
        # Locked, then read as the lock found it: an order this unit of work had loaded before is refreshed.
        query = select(Order).where(*conditions).with_for_update().execution_options(populate_existing=True)
        return (await self._session.execute(query)).scalar_one_or_none()

    async def save_status(self, order: Order) -> None:
        self._session.add(order)  # already here when this unit of work loaded it
        await self._session.flush()  # what changed, in one UPDATE

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
