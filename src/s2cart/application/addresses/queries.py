"""Reading the address book: the list page and the default address, straight from the reader."""

from __future__ import annotations

from s2cart.application.addresses.views import AddressView
from s2cart.application.ports.addresses import AddressReader
from s2cart.domain.addresses.errors import AddressNotFound
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest

# Public names a client may sort by; the default puts the default address first, then the newest.
ADDRESS_ORDERINGS = ("created_at", "updated_at", "contact_name", "city", "is_default", "id")
DEFAULT_ADDRESS_ORDERING = "-is_default"


class ListAddresses:
    def __init__(self, reader: AddressReader) -> None:
        self._reader = reader

    async def __call__(self, user_id: int, request: PageRequest, ordering: str | None = None) -> Page[AddressView]:
        order = Ordering.parse(ordering, ADDRESS_ORDERINGS, DEFAULT_ADDRESS_ORDERING)
        return await self._reader.page(user_id, request, order)


class GetDefaultAddress:
    """A user with no addresses has no default: 404."""

    def __init__(self, reader: AddressReader) -> None:
        self._reader = reader

    async def __call__(self, user_id: int) -> AddressView:
        found = await self._reader.default(user_id)
        if found is None:
            raise AddressNotFound("No default address")
        return found
