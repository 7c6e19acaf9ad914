"""Address books in SQL: the user's row is the lock, the partial unique index is the backstop."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from s2cart.adapters.persistence.repositories.owner_lock import lock_owner
from s2cart.adapters.persistence.tables.addresses import addresses
from s2cart.domain.addresses.address import Address
from s2cart.domain.addresses.address_book import AddressBook


class SqlAlchemyAddressBookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: int) -> AddressBook:
        await lock_owner(self._session, user_id)
        result = await self._session.execute(
            select(Address).where(addresses.c.user_id == user_id).order_by(addresses.c.id)
        )
        return AddressBook(user_id=user_id, addresses=list(result.scalars()))

    async def save(self, book: AddressBook) -> None:
        for gone in book.removed:
            if inspect(gone).persistent:
                await self._session.delete(gone)
        book.removed.clear()
        for address in book.addresses:
            if address not in self._session:
                self._session.add(address)
        # The unique index on the default is checked row by row, and the ORM orders its writes by primary key
        # and puts deletes last, not by meaning. So write everything with the new default still unset (the
        # old default is cleared or deleted first), then set it.
        default = book.default
        if default is not None and inspect(default).persistent and _default_changed(default):
            default.is_default = False
            await self._session.flush()
            default.is_default = True
        await self._session.flush()

    async def owned(self, user_id: int, address_id: int) -> Address | None:
        result = await self._session.execute(
            select(Address).where(addresses.c.id == address_id, addresses.c.user_id == user_id)
        )
        return result.scalar_one_or_none()


def _default_changed(address: Address) -> bool:
    return bool(inspect(address).attrs.is_default.history.has_changes())
