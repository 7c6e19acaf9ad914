"""The bodies that create and change an address. The answer is the application's ``AddressView`` itself;
the lengths are the domain's (``rules.INPUT_LENGTHS``), so a limit is written once."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import msgspec

from s2cart.domain.addresses.address import AddressType
from s2cart.domain.addresses.rules import INPUT_LENGTHS
from s2cart.entrypoints.http.partial import partial_of

Latitude = Annotated[Decimal, msgspec.Meta(description="-90 to 90, kept to 6 decimal places", examples=[19.076])]
Longitude = Annotated[Decimal, msgspec.Meta(description="-180 to 180, kept to 6 decimal places", examples=[72.8777])]


def _text(name: str) -> msgspec.Meta:
    return msgspec.Meta(max_length=INPUT_LENGTHS[name])


class AddressIn(msgspec.Struct, kw_only=True):
    """A new address. ``is_default`` and ``is_verified`` are not read: the first address becomes the default."""

    contact_name: Annotated[str, _text("contact_name")]
    street_address: Annotated[str, _text("street_address")]
    city: Annotated[str, _text("city")]
    state: Annotated[str, _text("state")]
    pin_code: Annotated[
        str,
        msgspec.Meta(
            max_length=INPUT_LENGTHS["pin_code"], description="6 digits, not starting with 0", examples=["400001"]
        ),
    ]
    phone_number: Annotated[
        str, msgspec.Meta(max_length=INPUT_LENGTHS["phone_number"], description="+91XXXXXXXXXX or 10 digits")
    ]
    street_address_2: Annotated[str, _text("street_address_2")] | None = ""
    landmark: Annotated[str, _text("landmark")] | None = ""
    country: Annotated[str, msgspec.Meta(max_length=INPUT_LENGTHS["country"], description="India")] = "India"
    address_type: AddressType = AddressType.HOME
    latitude: Latitude | None = None
    longitude: Longitude | None = None


if TYPE_CHECKING:
    AddressUpdateIn = AddressIn
else:
    # The same fields, each optional: only the fields sent change; anything outside them (``is_default``,
    # ``is_verified``, ``id``) is ignored.
    AddressUpdateIn = partial_of(AddressIn, "AddressUpdateIn")
