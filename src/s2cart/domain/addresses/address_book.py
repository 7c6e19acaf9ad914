"""A customer's address book: the limit, and exactly one default whenever it holds any address."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from s2cart.domain.addresses import rules
from s2cart.domain.addresses.address import Address, AddressFields
from s2cart.domain.addresses.errors import AddressLimitExceeded, AddressNotFound

DEFAULT_MAX_ADDRESSES = 20


@dataclass
class AddressBook:
    """All of one user's addresses (at most a few dozen, so the whole book is loaded to change it).

    - At most ``limit`` addresses (ADDR_001 past it).
    - The first address becomes the default; setting another default unsets the previous one.
    - Deleting the default promotes the most recently updated remaining address.
    - ``removed`` lists what ``remove`` took out, for the repository to delete.
    """

    user_id: int
    addresses: list[Address] = field(default_factory=list)
    removed: list[Address] = field(default_factory=list)

    @property
    def default(self) -> Address | None:
        return next((address for address in self.addresses if address.is_default), None)

    def find(self, address_id: int) -> Address:
        found = next((address for address in self.addresses if address.id == address_id), None)
        if found is None:
            raise AddressNotFound()
        return found

    def add(self, fields: AddressFields, now: datetime, limit: int = DEFAULT_MAX_ADDRESSES) -> Address:
        if len(self.addresses) >= limit:
            raise AddressLimitExceeded(limit)
        address = Address.new(self.user_id, fields, now)
        address.is_default = not self.addresses
        self.addresses.append(address)
        return address

    def update(self, address_id: int, changes: Mapping[str, object], now: datetime) -> Address:
        """``changes`` come validated from ``rules.address_changes``; the result must still place a point."""
        address = self.find(address_id)
        merged = {"latitude": address.latitude, "longitude": address.longitude, **changes}
        latitude, longitude = merged["latitude"], merged["longitude"]
        assert latitude is None or isinstance(latitude, Decimal)
        assert longitude is None or isinstance(longitude, Decimal)
        rules.coordinates_pair(latitude, longitude)
        address.apply(changes, now)
        return address

    def set_default(self, address_id: int, now: datetime) -> Address:
        chosen = self.find(address_id)
        for address in self.addresses:
            address.mark_default(address is chosen, now)
        return chosen

    def remove(self, address_id: int, now: datetime) -> Address | None:
        """Take the address out; return the address promoted to default in its place, if any."""
        gone = self.find(address_id)
        self.addresses.remove(gone)
        self.removed.append(gone)
        if not gone.is_default or not self.addresses:
            return None
        successor = max(self.addresses, key=lambda a: (a.updated_at, a.id or 0))
        successor.mark_default(True, now)
        return successor
