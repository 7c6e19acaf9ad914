"""A delivery address in a customer's address book."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class AddressType(StrEnum):
    HOME = "HOME"
    WORK = "WORK"
    OTHER = "OTHER"


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


def _text(max_length: int, default: str | None = None) -> Any:
    """A text field and its length limit, in one place: the rules validate by it, the edge bounds input by it."""
    if default is None:
        return field(metadata={"max_length": max_length})
    return field(default=default, metadata={"max_length": max_length})


@dataclass(kw_only=True)
class AddressFields:
    """Every field a customer may set or change, already validated (see ``rules.address_fields``), in the
    order the contract writes them. The one place an address field is declared: ``Address`` inherits these,
    ``EDITABLE_ADDRESS_FIELDS``, ``rules.MAX_LENGTHS`` and ``snapshot()`` are read off them."""

    contact_name: str = _text(100)
    street_address: str = _text(255)
    street_address_2: str = _text(255, "")
    landmark: str = _text(255, "")
    city: str = _text(100)
    state: str = _text(100)
    pin_code: str
    country: str = "India"
    phone_number: str
    address_type: str = AddressType.HOME.value
    latitude: Decimal | None = None
    longitude: Decimal | None = None


# What a customer may change on an address; the default flag, verification and ids are the system's.
EDITABLE_ADDRESS_FIELDS = tuple(f.name for f in fields(AddressFields))


@dataclass(eq=False, kw_only=True)
class Address(AddressFields):
    user_id: int
    created_at: datetime
    updated_at: datetime
    is_default: bool = False
    is_verified: bool = False
    id: int | None = field(default=None)

    # An entity is equal only to itself (the fields it inherits compare by value).
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    @classmethod
    def new(cls, user_id: int, fields: AddressFields, now: datetime) -> Address:
        values = {name: getattr(fields, name) for name in EDITABLE_ADDRESS_FIELDS}
        return cls(user_id=user_id, created_at=now, updated_at=now, **values)

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
        editable = {name: getattr(self, name) for name in EDITABLE_ADDRESS_FIELDS}
        for name, value in editable.items():
            if isinstance(value, Decimal):
                editable[name] = float(value)  # the coordinates: JSON numbers, as the wire writes them
        return {"id": self.id, **editable, "is_verified": self.is_verified, "full_address": self.full_address}
