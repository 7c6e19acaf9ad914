"""Repository of address books."""

from __future__ import annotations

from typing import Protocol

from s2cart.application.addresses.views import AddressView
from s2cart.domain.addresses.address import Address
from s2cart.domain.addresses.address_book import AddressBook
from s2cart.domain.shared.pagination import Ordering, Page, PageRequest


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


class AddressReader(Protocol):
    async def page(self, user_id: int, request: PageRequest, ordering: Ordering) -> Page[AddressView]:
        """Ties in ``ordering`` are broken by id, newest first, so pages never overlap."""
        ...

    async def default(self, user_id: int) -> AddressView | None: ...
