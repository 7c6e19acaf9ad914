from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.tables.catalog import coupons, products, stores
from s2cart.adapters.persistence.upsert import upsert
from s2cart.domain.catalog.coupon import Coupon, CouponKind, normalize_code
from s2cart.domain.catalog.product import Product
from s2cart.domain.catalog.store import Store


class SqlAlchemyCatalog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def store(self, store_id: str) -> Store | None:
        row = (await self._session.execute(select(stores).where(stores.c.id == store_id))).first()
        return store_of(row) if row else None

    async def product(self, store_id: str, product_id: str) -> Product | None:
        query = select(products).where(products.c.store_id == store_id, products.c.id == product_id)
        row = (await self._session.execute(query)).first()
        return None if row is None else product_of(row)

    async def store_with_product(self, store_id: str, product_id: str) -> tuple[Store | None, Product | None]:
        # One statement: no row is an unknown store, a row with NULL product columns a product it does not sell.
        query = (
            select(
                stores.c.id.label("store_key"),
                stores.c.name.label("store_name"),
                stores.c.active.label("store_active"),
                products,
            )
            .select_from(stores)
            .outerjoin(products, (products.c.store_id == stores.c.id) & (products.c.id == product_id))
            .where(stores.c.id == store_id)
        )
        row = (await self._session.execute(query)).first()
        if row is None:
            return None, None
        # The store's other fields are for browsing; a cart needs its id, name and whether it sells.
        store = Store(id=row.store_key, name=row.store_name, active=row.store_active)
        return store, (None if row.id is None else product_of(row))

    async def coupon(self, code: str) -> Coupon | None:
        query = select(coupons).where(coupons.c.code == normalize_code(code))
        row = (await self._session.execute(query)).first()
        return None if row is None else coupon_of(row)

    async def existing_store_ids(self, store_ids: Collection[str]) -> set[str]:
        if not store_ids:
            return set()
        result = await self._session.execute(select(stores.c.id).where(stores.c.id.in_(list(store_ids))))
        return set(result.scalars())

    async def upsert_stores(self, items: Sequence[Store]) -> None:
        await upsert(self._session, stores, [{field: getattr(s, field) for field in STORE_FIELDS} for s in items])

    async def upsert_products(self, items: Sequence[Product]) -> None:
        rows: list[dict[str, Any]] = [
            {field: getattr(p, field) for field in PRODUCT_FIELDS} | {"images": list(p.images)} for p in items
        ]
        await upsert(self._session, products, rows)

    async def upsert_coupons(self, items: Sequence[Coupon]) -> None:
        rows: list[dict[str, Any]] = [
            {
                "code": c.code,
                "kind": c.kind.value,
                "value": c.value,
                "min_subtotal": c.min_subtotal,
                "max_discount": c.max_discount,
                "valid_from": c.valid_from,
                "valid_until": c.valid_until,
                "usage_limit": c.usage_limit,
                "per_user_limit": c.per_user_limit,
                "active": c.active,
            }
            for c in items
        ]
        await upsert(self._session, coupons, rows)


STORE_FIELDS = (
    "id", "name", "description", "image_url", "city", "address", "pincode", "state_code", "legal_name", "gstin",
    "active",
)  # fmt: skip
PRODUCT_FIELDS = (
    "store_id", "id", "name", "price", "stock", "image_url", "description", "category", "brand", "mrp", "unit",
    "hsn_code", "gst_rate", "active",
)  # fmt: skip


def store_of(row: Any) -> Store:
    return Store(**{field: getattr(row, field) for field in STORE_FIELDS})


def product_of(row: Any) -> Product:
    return Product(**{field: getattr(row, field) for field in PRODUCT_FIELDS}, images=tuple(row.images or ()))


def coupon_of(row: Any) -> Coupon:
    return Coupon(
        code=row.code,
        kind=CouponKind(row.kind),
        value=row.value,
        min_subtotal=row.min_subtotal,
        max_discount=row.max_discount,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        usage_limit=row.usage_limit,
        per_user_limit=row.per_user_limit,
        active=row.active,
    )
