"""Reading the address book: the list page and the default address, straight from the reader."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from s2cart.domain.addresses.address import full_address_of
from s2cart.domain.addresses.errors import AddressNotFound
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest

# Public names a client may sort by; the default puts the default address first, then the newest.
ADDRESS_ORDERINGS = ("created_at", "updated_at", "contact_name", "city", "is_default", "id")
DEFAULT_ADDRESS_ORDERING = "-is_default"


@dataclass(frozen=True)
class AddressView:
    """The contract's Address: what the reader returns and what every address endpoint answers with.
    A domain ``Address`` becomes one through ``view_of`` (same field names); ``full_address`` is derived."""

    id: int
    contact_name: str
    street_address: str
    street_address_2: str
    landmark: str
    city: str
    state: str
    pin_code: str
    country: str
    phone_number: str
    address_type: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_default: bool
    is_verified: bool
    full_address: str = field(init=False)
    created_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        parts = (self.street_address, self.street_address_2, self.landmark, self.city)
        full = full_address_of(*parts, self.state, self.pin_code, self.country)
        object.__setattr__(self, "full_address", full)


# The columns a reader selects: the view's stored fields, named once (above).
ADDRESS_VIEW_FIELDS = tuple(f.name for f in fields(AddressView) if f.init)


class AddressReader(Protocol):
    async def page(self, user_id: int, request: PageRequest, ordering: Ordering) -> Page[AddressView]:
        """Ties in ``ordering`` are broken by id, newest first, so pages never overlap."""
        ...

    async def default(self, user_id: int) -> AddressView | None: ...


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
