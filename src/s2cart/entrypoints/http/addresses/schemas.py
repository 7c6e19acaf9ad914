"""The contract's Address model on the wire, and the bodies that create and change one."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from s2cart.application.addresses.views import AddressView
from s2cart.domain.addresses.address import Address, AddressType
from s2cart.entrypoints.http.wire import wire_time

Name = Annotated[str, msgspec.Meta(max_length=100)]
Line = Annotated[str, msgspec.Meta(max_length=255)]
PinCode = Annotated[str, msgspec.Meta(max_length=10, description="6 digits, not starting with 0", examples=["400001"])]
Phone = Annotated[str, msgspec.Meta(max_length=20, description="+91XXXXXXXXXX or 10 digits")]
Latitude = Annotated[Decimal, msgspec.Meta(description="-90 to 90, kept to 6 decimal places", examples=[19.076])]
Longitude = Annotated[Decimal, msgspec.Meta(description="-180 to 180, kept to 6 decimal places", examples=[72.8777])]


class AddressIn(msgspec.Struct, kw_only=True):
    """A new address. ``is_default`` and ``is_verified`` are not read: the first address becomes the default."""

    contact_name: Name
    street_address: Line
    city: Name
    state: Name
    pin_code: PinCode
    phone_number: Phone
    street_address_2: Line | None = ""
    landmark: Line | None = ""
    country: Annotated[str, msgspec.Meta(max_length=100, description="India")] = "India"
    address_type: AddressType = AddressType.HOME
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class AddressUpdateIn(msgspec.Struct, kw_only=True):
    """Only the fields sent change; anything outside them (``is_default``, ``is_verified``, ``id``) is ignored."""

    contact_name: Name | msgspec.UnsetType = msgspec.UNSET
    street_address: Line | msgspec.UnsetType = msgspec.UNSET
    street_address_2: Line | msgspec.UnsetType | None = msgspec.UNSET
    landmark: Line | msgspec.UnsetType | None = msgspec.UNSET
    city: Name | msgspec.UnsetType = msgspec.UNSET
    state: Name | msgspec.UnsetType = msgspec.UNSET
    pin_code: PinCode | msgspec.UnsetType = msgspec.UNSET
    country: Annotated[str, msgspec.Meta(max_length=100)] | msgspec.UnsetType = msgspec.UNSET
    phone_number: Phone | msgspec.UnsetType = msgspec.UNSET
    address_type: AddressType | msgspec.UnsetType = msgspec.UNSET
    latitude: Latitude | msgspec.UnsetType | None = msgspec.UNSET
    longitude: Longitude | msgspec.UnsetType | None = msgspec.UNSET

    def sent(self) -> dict[str, object]:
        return {k: v for k, v in msgspec.structs.asdict(self).items() if v is not msgspec.UNSET}


class AddressOut(msgspec.Struct, kw_only=True):
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
    latitude: float | None
    longitude: float | None
    is_default: bool
    is_verified: bool
    full_address: str
    created_at: datetime
    updated_at: datetime


def address_out(address: Address | AddressView) -> AddressOut:
    """The domain address (after a change) and the reader's view have the same fields."""
    assert address.id is not None
    return AddressOut(
        id=address.id,
        contact_name=address.contact_name,
        street_address=address.street_address,
        street_address_2=address.street_address_2,
        landmark=address.landmark,
        city=address.city,
        state=address.state,
        pin_code=address.pin_code,
        country=address.country,
        phone_number=address.phone_number,
        address_type=address.address_type,
        # JSON numbers, as the contract writes them (19.0760); Decimal stays exact everywhere behind the edge.
        latitude=float(address.latitude) if address.latitude is not None else None,
        longitude=float(address.longitude) if address.longitude is not None else None,
        is_default=address.is_default,
        is_verified=address.is_verified,
        full_address=address.full_address,
        created_at=wire_time(address.created_at),  # type: ignore[arg-type]
        updated_at=wire_time(address.updated_at),  # type: ignore[arg-type]
    )
