"""The address book's pages, in SQLAlchemy Core: a count and one page query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from s2cart.adapters.persistence.readers.base import Reader
from s2cart.adapters.persistence.tables.addresses import addresses
from s2cart.application.addresses.views import ADDRESS_VIEW_FIELDS, AddressView
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest

# The view names its fields; the reader selects the columns of the same names.
_COLUMNS = tuple(addresses.c[name] for name in ADDRESS_VIEW_FIELDS)
_ORDER_COLUMNS: dict[str, ColumnElement[Any]] = {
    "created_at": addresses.c.created_at,
    "updated_at": addresses.c.updated_at,
    "contact_name": addresses.c.contact_name,
    "city": addresses.c.city,
    "is_default": addresses.c.is_default,
    "id": addresses.c.id,
}


def address_view(row: Any) -> AddressView:
    return AddressView(**row._mapping)


async def addresses_of(connection: AsyncConnection, user_id: int) -> list[AddressView]:
    """Every address of the user, the default first, then the newest (the profile's ``saved_addresses``)."""
    query = (
        select(*_COLUMNS)
        .where(addresses.c.user_id == user_id)
        .order_by(addresses.c.is_default.desc(), addresses.c.id.desc())
    )
    return [address_view(row) for row in await connection.execute(query)]


class SqlAlchemyAddressReader(Reader):
    async def page(self, user_id: int, request: PageRequest, ordering: Ordering) -> Page[AddressView]:
        column = _ORDER_COLUMNS[ordering.field]
        query: Select[Any] = (
            select(*_COLUMNS)
            .where(addresses.c.user_id == user_id)
            .order_by(column.desc() if ordering.descending else column.asc(), addresses.c.id.desc())
            .offset(request.offset)
            .limit(request.limit)
        )
        count = select(func.count()).select_from(addresses).where(addresses.c.user_id == user_id)
        async with self.connect() as connection:
            total = int((await connection.execute(count)).scalar_one())
            rows = (await connection.execute(query)).all()
        return Page(items=[address_view(row) for row in rows], total_count=total, request=request)

    async def default(self, user_id: int) -> AddressView | None:
        query = select(*_COLUMNS).where(addresses.c.user_id == user_id, addresses.c.is_default.is_(True))
        async with self.connect() as connection:
            row = (await connection.execute(query)).first()
        return address_view(row) if row is not None else None
