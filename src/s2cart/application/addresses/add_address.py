"""AddAddress: a new address in the caller's book."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.addresses import rules
from s2cart.domain.addresses.address import Address
from s2cart.domain.addresses.address_book import DEFAULT_MAX_ADDRESSES


class AddAddress:
    """- Every field is validated and all problems are reported at once; nothing is stored on any of them.
    - Required: contact_name, street_address, city, state, pin_code, phone_number; the country is India.
    - ``is_default`` and ``is_verified`` are never taken from the client: the first address becomes the default.
    - At most ``max_addresses`` per user (ADDR_001), also when requests race: the book is locked while deciding.
    """

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, max_addresses: int = DEFAULT_MAX_ADDRESSES) -> None:
        self._uow = uow
        self._clock = clock
        self._max_addresses = max_addresses

    async def __call__(self, user_id: int, values: Mapping[str, Any]) -> Address:
        fields = rules.address_fields(values)
        now = self._clock.now()
        async with self._uow() as uow:
            book = await uow.addresses.get(user_id)
            address = book.add(fields, now, limit=self._max_addresses)
            await uow.addresses.save(book)
            await uow.commit()
        return address
