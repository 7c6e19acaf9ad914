"""Repository of address books."""

from __future__ import annotations

from typing import Protocol

from s2cart.domain.addresses.address import Address
from s2cart.domain.addresses.address_book import AddressBook


class AddressBookRepository(Protocol):
    async def get(self, user_id: int) -> AddressBook:
        """The user's whole book, locked until the transaction ends, so parallel changes take turns."""
        ...

    async def save(self, book: AddressBook) -> None:
        """Write the book's changes (new, changed and removed addresses); new addresses get their ids."""
        ...

    async def owned(self, user_id: int, address_id: int) -> Address | None:
        """One address of this user, unlocked (an order snapshots it with ``Address.snapshot()``)."""
        ...
