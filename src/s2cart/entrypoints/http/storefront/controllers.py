"""The storefront: stores and products for anyone, signed in or not (issue 18).

Anonymous callers are counted on the anonymous tier and signed-in callers on their own: the rate limiter
resolves a sent credential before any handler runs (``state["principal"]``), and the handler reuses it. A
credential that does not authenticate is a 401 here as everywhere, rather than a silent anonymous answer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from s2cart.application.auth.authenticate import Authenticate
from s2cart.application.auth.principal import Principal
from s2cart.application.catalog.browse import (
    PRODUCT_ORDERINGS,
    GetProduct,
    GetStore,
    ListStores,
    ProductQuery,
    SearchProducts,
    StoreNotFound,
)
from s2cart.domain.catalog.errors import ProductNotFound
from s2cart.domain.shared.pagination import PageRequest
from s2cart.domain.users.errors import AccountNotVerified
from s2cart.entrypoints.http.answers import SIGNED_IN, errors
from s2cart.entrypoints.http.envelope import Paginated, Success, success
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.pagination import paginated, pagination_block
from s2cart.entrypoints.http.principal import credential_of
from s2cart.entrypoints.http.storefront.encoded import EncodedItems, encoded_page
from s2cart.entrypoints.http.storefront.schemas import (
    ProductDetailOut,
    ProductOut,
    StoreOut,
    product_detail_out,
    product_out,
    store_out,
)
from s2cart.entrypoints.http.wire import WireResponse

OPTIONAL_SECURITY = [{}, {"BearerAuth": []}, {"TokenAuth": []}]
# A product page's items as JSON, once per page the search cache hands out (decision 0051).
ENCODED_PRODUCTS = EncodedItems(product_out)
Text = Annotated[str | None, QueryParameter(max_length=200)]


async def signed_in_caller(request: Request[Any, Any, Any], authenticate: Authenticate) -> Principal | None:
    """The caller when a credential came (normally resolved by the rate limiter already), else None; a bad
    credential answers as it would anywhere (401 with AUTH_004 or AUTH_005)."""
    if "authorization" not in request.headers:
        return None
    principal: Principal = request.scope["state"].get("principal") or await authenticate(credential_of(request))
    request.scope["state"]["user_id"] = principal.user_id
    return principal


class StorefrontController(Controller):
    tags = ["Storefront"]
    security = OPTIONAL_SECURITY

    @get("/stores/", summary="Active stores by name; q filters on the name", opt=errors(*SIGNED_IN))
    async def list_stores(
        self,
        request: Request[Any, Any, Any],
        page_request: NamedDependency[PageRequest],
        list_stores: Inject[ListStores],
        authenticate: Inject[Authenticate],
        q: Annotated[str | None, QueryParameter(description="part of the store's name", max_length=100)] = None,
        ordering: Annotated[str | None, QueryParameter(description="name or -name (default name)")] = None,
    ) -> Paginated[StoreOut]:
        """Active stores by name; `q` filters on the name. Open to anyone; a credential that is sent must be valid
        (401 otherwise). Paginated.
        """
        await signed_in_caller(request, authenticate)
        page = await list_stores(page_request, q, ordering)
        return paginated(
            request, replace(page, items=[store_out(s) for s in page.items]), f"Found {page.total_count} stores"
        )

    @get("/stores/{store_id:str}/", summary="One active store", opt=errors(StoreNotFound, *SIGNED_IN))
    async def get_store(
        self,
        request: Request[Any, Any, Any],
        store_id: FromPath[str],
        get_store: Inject[GetStore],
        authenticate: Inject[Authenticate],
    ) -> Success[StoreOut]:
        """One active store (an unknown or inactive one is a 404)."""
        await signed_in_caller(request, authenticate)
        return success(store_out(await get_store(store_id)), "Store retrieved successfully")

    @get(
        "/products/",
        summary="Browse and search products of active stores",
        opt=errors(AccountNotVerified, *SIGNED_IN),
    )
    async def list_products(
        self,
        request: Request[Any, Any, Any],
        page_request: NamedDependency[PageRequest],
        search_products: Inject[SearchProducts],
        authenticate: Inject[Authenticate],
        q: Text = None,
        store_id: Annotated[str | None, QueryParameter(max_length=64)] = None,
        category: Annotated[str | None, QueryParameter(max_length=100, description="exact, any case")] = None,
        brand: Annotated[str | None, QueryParameter(max_length=100, description="exact, any case")] = None,
        min_price: Annotated[str | None, QueryParameter(description='an amount such as "100" or "99.50"')] = None,
        max_price: Annotated[str | None, QueryParameter(description='an amount such as "500.00"')] = None,
        in_stock: Annotated[bool | None, QueryParameter(description="true: buyable now; false: sold out")] = None,
        ordering: Annotated[
            str | None,
            QueryParameter(
                description=f"{', '.join(PRODUCT_ORDERINGS)}; '-' for descending price or name "
                "(default: relevance with q, else name)"
            ),
        ] = None,
        save_search: Annotated[bool, QueryParameter(description="record q in the caller's search history")] = False,
    ) -> Response[Paginated[ProductOut]]:
        """Browse and search the products of active stores, open to anyone (a credential that is sent must be valid).

        q searches name, brand, category and description (every word, as a prefix; on PostgreSQL a typo in the name
        is forgiven) and orders by relevance unless ordering says otherwise. Stock is a status: IN_STOCK, LOW_STOCK
        (5 or fewer), OUT_OF_STOCK. With save_search=true a signed-in caller's search is also written to the search
        history (an unverified account: 403 AUTH_002). A bad filter is 400 VAL_001. Paginated."""
        caller = await signed_in_caller(request, authenticate)
        if save_search and caller is not None and not caller.is_verified:
            raise AccountNotVerified()
        query = ProductQuery(q, store_id, category, brand, min_price, max_price, in_stock, ordering, save_search)
        page = await search_products(page_request, query, None if caller is None else caller.user_id)
        # The envelope is this request's (the pagination URLs come from its query string); the items' JSON is
        # the page's, encoded once for as long as the search cache keeps the page.
        body = encoded_page(
            page, ENCODED_PRODUCTS, pagination_block(request, page), f"Found {page.total_count} products"
        )
        return WireResponse(body, media_type=MediaType.JSON)

    @get(
        "/stores/{store_id:str}/products/{product_id:str}/",
        summary="One product, with its HSN code and GST rate",
        opt=errors(ProductNotFound, *SIGNED_IN),
    )
    async def get_product(
        self,
        request: Request[Any, Any, Any],
        store_id: FromPath[str],
        product_id: FromPath[str],
        get_product: Inject[GetProduct],
        authenticate: Inject[Authenticate],
    ) -> Success[ProductDetailOut]:
        """One product of an active store, with its HSN code and GST rate (404 when the store does not sell it)."""
        await signed_in_caller(request, authenticate)
        return success(product_detail_out(await get_product(store_id, product_id)), "Product retrieved successfully")
