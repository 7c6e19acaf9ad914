"""DeleteAddress: remove one of the caller's addresses."""

from __future__ import annotations

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.addresses.errors import AddressNotFound
from s2cart.domain.shared.ids import is_storable_id


class DeleteAddress:
    """- Deleting the default promotes the most recently updated remaining address, in the same transaction.
    - Another user's address, a deleted one and an unknown id are the same 404.
    - Orders that shipped to the address keep their snapshot; deleting it changes none of them.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, address_id: int) -> None:
        if not is_storable_id(address_id):
            raise AddressNotFound()
        async with self._uow() as uow:
            book = await uow.addresses.get(user_id)
            book.remove(address_id, self._clock.now())
            await uow.addresses.save(book)
            await uow.commit()
