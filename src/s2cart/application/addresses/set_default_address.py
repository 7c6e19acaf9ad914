"""SetDefaultAddress: make one of the caller's addresses the default."""

from __future__ import annotations

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.addresses.address import Address
from s2cart.domain.addresses.errors import AddressNotFound
from s2cart.domain.shared.ids import is_storable_id


class SetDefaultAddress:
    """- The previous default is unset and the new one set in one transaction; parallel calls take turns on
      the locked book, and a partial unique index in the database backs the rule up: one default, always.
    - Setting the current default again changes nothing.
    - Another user's address, a deleted one and an unknown id are the same 404.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, address_id: int) -> Address:
        if not is_storable_id(address_id):
            raise AddressNotFound()
        async with self._uow() as uow:
            book = await uow.addresses.get(user_id)
            address = book.set_default(address_id, self._clock.now())
            await uow.addresses.save(book)
            await uow.commit()
        return address
