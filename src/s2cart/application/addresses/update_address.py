"""UpdateAddress: change some fields of one of the caller's addresses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.addresses import rules
from s2cart.domain.addresses.address import Address
from s2cart.domain.addresses.errors import AddressNotFound
from s2cart.domain.shared.ids import is_storable_id


class UpdateAddress:
    """- Only the fields sent are validated and applied; ``is_default``, ``is_verified`` and ids never are.
    - A required field cannot be blanked; latitude and longitude stay a pair.
    - Another user's address, a deleted one and an unknown id are the same 404.
    - A changed address is no longer verified. Orders placed earlier keep their own snapshot.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, address_id: int, values: Mapping[str, Any]) -> Address:
        changes = rules.address_changes(values)
        if not is_storable_id(address_id):
            raise AddressNotFound()
        async with self._uow() as uow:
            book = await uow.addresses.get(user_id)
            address = book.update(address_id, changes, self._clock.now())
            await uow.addresses.save(book)
            await uow.commit()
        return address
