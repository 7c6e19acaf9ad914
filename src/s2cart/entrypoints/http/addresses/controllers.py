from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from s2cart.application.addresses.add_address import AddAddress
from s2cart.application.addresses.delete_address import DeleteAddress
from s2cart.application.addresses.queries import ADDRESS_ORDERINGS, GetDefaultAddress, ListAddresses
from s2cart.application.addresses.set_default_address import SetDefaultAddress
from s2cart.application.addresses.update_address import UpdateAddress
from s2cart.application.addresses.views import AddressView
from s2cart.application.auth.principal import Principal
from s2cart.application.projection import view_of
from s2cart.domain.addresses.errors import AddressLimitExceeded, AddressNotFound
from s2cart.domain.shared.pagination import PageRequest
from s2cart.entrypoints.http.addresses.schemas import AddressIn, AddressUpdateIn
from s2cart.entrypoints.http.answers import errors
from s2cart.entrypoints.http.envelope import Done, Paginated, Success, done, success
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.limits import HOUR, MINUTE, limit
from s2cart.entrypoints.http.pagination import paginated
from s2cart.entrypoints.http.partial import sent
from s2cart.entrypoints.http.principal import SECURITY

Ordering = Annotated[
    str | None,
    QueryParameter(description=f"{', '.join(ADDRESS_ORDERINGS)}; '-' for descending (default: -is_default)"),
]


class AddressController(Controller):
    path = "/addresses"
    tags = ["Addresses"]
    security = SECURITY

    @get("/", summary="The caller's addresses", opt=errors())
    async def list_addresses(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        page_request: NamedDependency[PageRequest],
        list_addresses: Inject[ListAddresses],
        ordering: Ordering = None,
    ) -> Paginated[AddressView]:
        """The caller's addresses, the default first; paginated."""
        page = await list_addresses(principal.user_id, page_request, ordering)
        return paginated(request, page, message=f"Found {page.total_count} addresses")

    @post(
        "/",
        status_code=201,
        summary="Add an address (the first becomes the default)",
        opt=limit(20, HOUR, "address", "user") | errors(AddressLimitExceeded),
    )
    async def add_address(
        self,
        data: JSONBody[AddressIn],
        principal: NamedDependency[Principal],
        add_address: Inject[AddAddress],
    ) -> Success[AddressView]:
        """Add an address in India (6-digit PIN code, Indian phone number); the first one becomes the default. Each
        bad field is named (400 VAL_001); past the limit (20 by default) 400 ADDR_001.
        """
        values = {name: getattr(data, name) for name in data.__struct_fields__}
        address = await add_address(principal.user_id, values)
        return success(view_of(AddressView, address), "Address added successfully", code=201)

    @get("/default/", summary="The caller's default address (404 when there is none)", opt=errors(AddressNotFound))
    async def default_address(
        self, principal: NamedDependency[Principal], get_default_address: Inject[GetDefaultAddress]
    ) -> Success[AddressView]:
        """The caller's default address; 404 when the caller has none."""
        address = await get_default_address(principal.user_id)
        return success(address, "Default address retrieved successfully")

    @patch(
        "/{address_id:int}/",
        summary="Change some fields of an address",
        opt=limit(20, HOUR, "address", "user") | errors(AddressNotFound),
    )
    async def update_address(
        self,
        address_id: FromPath[int],
        data: JSONBody[AddressUpdateIn],
        principal: NamedDependency[Principal],
        update_address: Inject[UpdateAddress],
    ) -> Success[AddressView]:
        """Change some fields of one of the caller's addresses; fields left out keep their values."""
        address = await update_address(principal.user_id, address_id, sent(data))
        return success(view_of(AddressView, address), "Address updated successfully")

    @delete(
        "/{address_id:int}/",
        status_code=200,
        summary="Delete an address (a default is succeeded)",
        opt=limit(20, HOUR, "address", "user") | errors(AddressNotFound),
    )
    async def delete_address(
        self,
        address_id: FromPath[int],
        principal: NamedDependency[Principal],
        delete_address: Inject[DeleteAddress],
    ) -> Done:
        """Delete one of the caller's addresses; when it was the default, the most recently updated other one
        becomes the default. Orders keep the address they were placed with.
        """
        await delete_address(principal.user_id, address_id)
        return done("Address deleted successfully")

    @post(
        "/set-default/{address_id:int}/",
        status_code=200,
        summary="Make an address the default",
        opt=limit(50, MINUTE, "address", "user") | errors(AddressNotFound),
    )
    async def set_default(
        self,
        address_id: FromPath[int],
        principal: NamedDependency[Principal],
        set_default_address: Inject[SetDefaultAddress],
    ) -> Success[AddressView]:
        """Make one of the caller's addresses the default (the previous default is no longer)."""
        address = await set_default_address(principal.user_id, address_id)
        return success(view_of(AddressView, address), "Default address updated successfully")
