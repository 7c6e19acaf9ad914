"""What the address pages read: an address as the reader returns it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from s2cart.domain.addresses.address import full_address_of


@dataclass(frozen=True)
class AddressView:
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
    created_at: datetime
    updated_at: datetime

    @property
    def full_address(self) -> str:
        return full_address_of(
            self.street_address,
            self.street_address_2,
            self.landmark,
            self.city,
            self.state,
            self.pin_code,
            self.country,
        )
