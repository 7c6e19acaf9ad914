"""What the address pages read and answer: an address as the reader returns it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal

from s2cart.domain.addresses.address import full_address_of


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
