"""A delivery address in a customer's address book."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class AddressType(StrEnum):
    HOME = "HOME"
    WORK = "WORK"
    OTHER = "OTHER"


# What a customer may change on an address; the default flag, verification and ids are the system's.
EDITABLE_ADDRESS_FIELDS = frozenset(
    {
        "contact_name",
        "street_address",
        "street_address_2",
        "landmark",
        "city",
        "state",
        "pin_code",
        "country",
        "phone_number",
        "address_type",
        "latitude",
        "longitude",
    }
)


def full_address_of(
    street_address: str,
    street_address_2: str,
    landmark: str,
    city: str,
    state: str,
    pin_code: str,
    country: str,
) -> str:
    """Comma-separated, the state and PIN code together, empty parts skipped:
    ``123 Main Street, Apartment 4B, Near Central Mall, Mumbai, Maharashtra 400001, India``."""
    region = " ".join(part for part in (state, pin_code) if part)
    parts = (street_address, street_address_2, landmark, city, region, country)
    return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class AddressFields:
    """Every editable field, already validated (see ``rules.address_fields``)."""

    contact_name: str
    street_address: str
    city: str
    state: str
    pin_code: str
    phone_number: str
    street_address_2: str = ""
    landmark: str = ""
    country: str = "India"
    address_type: str = AddressType.HOME.value
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(eq=False)
class Address:
    user_id: int
    contact_name: str
    street_address: str
    city: str
    state: str
    pin_code: str
    phone_number: str
    created_at: datetime
    updated_at: datetime
    street_address_2: str = ""
    landmark: str = ""
    country: str = "India"
    address_type: str = AddressType.HOME.value
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_default: bool = False
    is_verified: bool = False
    id: int | None = field(default=None)

    @classmethod
    def new(cls, user_id: int, fields: AddressFields, now: datetime) -> Address:
        return cls(
            user_id=user_id,
            contact_name=fields.contact_name,
            street_address=fields.street_address,
            street_address_2=fields.street_address_2,
            landmark=fields.landmark,
            city=fields.city,
            state=fields.state,
            pin_code=fields.pin_code,
            country=fields.country,
            phone_number=fields.phone_number,
            address_type=fields.address_type,
            latitude=fields.latitude,
            longitude=fields.longitude,
            created_at=now,
            updated_at=now,
        )

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

    def apply(self, changes: Mapping[str, object], now: datetime) -> bool:
        """Apply already-validated changes; True when anything changed. Fields outside the editable set are
        never applied. A moved address is no longer verified: whatever checked it checked the old one."""
        changed = False
        for name, value in changes.items():
            if name in EDITABLE_ADDRESS_FIELDS and getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        if changed:
            self.is_verified = False
            self.updated_at = now
        return changed

    def mark_default(self, is_default: bool, now: datetime) -> None:
        if self.is_default != is_default:
            self.is_default = is_default
            self.updated_at = now

    def snapshot(self) -> dict[str, Any]:
        """The address as an order keeps it: JSON-ready, and independent of later edits or deletion."""
        return {
            "id": self.id,
            "contact_name": self.contact_name,
            "street_address": self.street_address,
            "street_address_2": self.street_address_2,
            "landmark": self.landmark,
            "city": self.city,
            "state": self.state,
            "pin_code": self.pin_code,
            "country": self.country,
            "phone_number": self.phone_number,
            "address_type": self.address_type,
            "latitude": float(self.latitude) if self.latitude is not None else None,
            "longitude": float(self.longitude) if self.longitude is not None else None,
            "is_verified": self.is_verified,
            "full_address": self.full_address,
        }
