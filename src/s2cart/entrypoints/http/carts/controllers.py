from __future__ import annotations

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from s2cart.application.auth.principal import Principal
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.cart_coupon import ApplyCartCoupon, RemoveCartCoupon
from s2cart.application.carts.clear_carts import ClearCarts
from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.carts.queries import GetStoreCart, ListCarts
from s2cart.application.carts.remove_cart_item import RemoveCartItem
from s2cart.application.carts.update_cart_item import UpdateCartItem, UpdateCartItemCommand
from s2cart.application.carts.views import CartItemView, CartView
from s2cart.domain.carts.errors import CartItemNotFound, CartLimitExceeded, CartNotFound
from s2cart.domain.catalog.coupon import CouponRejected
from s2cart.domain.catalog.errors import OutOfStock, ProductNotFound, UnknownStore
from s2cart.entrypoints.http.answers import errors
from s2cart.entrypoints.http.carts.schemas import (
    AddItemIn,
    ClearIn,
    CouponIn,
    CreateCartIn,
    UpdateItemIn,
)
from s2cart.entrypoints.http.envelope import Done, Success, done, success
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.principal import SECURITY
from s2cart.entrypoints.http.wire import WireResponse


class CartController(Controller):
    tags = ["Carts"]
    security = SECURITY

    @get("/carts/", summary="The caller's carts (at most five, one per store) with their lines", opt=errors())
    async def list_carts(
        self, principal: NamedDependency[Principal], list_carts: Inject[ListCarts]
    ) -> Success[list[CartView]]:
        """The caller's open carts (at most five, one per store), each with its lines, prices and totals."""
        carts = await list_carts(principal.user_id)
        return success(carts, f"Found {len(carts)} carts")

    @post(
        "/carts/",
        summary="Open a cart for a store (an existing one is returned, 200)",
        responses={
            200: ResponseSpec(
                data_container=Success[CartView],
                description="The caller already has a cart for this store: it is returned, unchanged",
                generate_examples=False,
            )
        },
        opt=errors(UnknownStore, CartLimitExceeded),
    )
    async def create_cart(
        self,
        data: JSONBody[CreateCartIn],
        principal: NamedDependency[Principal],
        create_cart: Inject[CreateCart],
    ) -> Response[Success[CartView]]:
        """Open a cart for a store: 201 with the new cart, or 200 with the caller's existing cart for that store,
        unchanged. An unknown or inactive store is 404 CART_002; a sixth cart is 400 CART_001.
        """
        result = await create_cart(principal.user_id, data.store_id)
        if result.created:
            return WireResponse(success(result.cart, "Cart created successfully", code=201), status_code=201)
        return WireResponse(success(result.cart, "Cart already exists for this store"), status_code=200)

    @get("/carts/store/{store_id:str}/", summary="The caller's cart for one store", opt=errors(CartNotFound))
    async def store_cart(
        self,
        store_id: FromPath[str],
        principal: NamedDependency[Principal],
        get_store_cart: Inject[GetStoreCart],
    ) -> Success[CartView]:
        """The caller's cart for one store, with its lines; 404 when the caller has none there."""
        return success(await get_store_cart(principal.user_id, store_id), "Cart retrieved successfully")

    @post(
        "/carts/store/{store_id:str}/coupon/",
        status_code=200,
        summary="Hold a coupon on the store's cart",
        opt=errors(CartNotFound, CouponRejected),
    )
    async def apply_coupon(
        self,
        store_id: FromPath[str],
        data: JSONBody[CouponIn],
        principal: NamedDependency[Principal],
        apply_cart_coupon: Inject[ApplyCartCoupon],
    ) -> Success[CartView]:
        """Hold a coupon on the store's cart; the cart's totals show the discount from then on. A coupon that is
        unknown, expired, used up or below its minimum is 400 COUPON_001 with the reason. Checked again at order.
        """
        cart = await apply_cart_coupon(principal.user_id, store_id, data.coupon_code)
        return success(cart, "Coupon applied to cart")

    @delete(
        "/carts/store/{store_id:str}/coupon/",
        status_code=200,
        summary="Remove the coupon from the store's cart",
        opt=errors(CartNotFound),
    )
    async def remove_coupon(
        self,
        store_id: FromPath[str],
        principal: NamedDependency[Principal],
        remove_cart_coupon: Inject[RemoveCartCoupon],
    ) -> Success[CartView]:
        """Take the coupon off the store's cart (no coupon held is not an error)."""
        return success(await remove_cart_coupon(principal.user_id, store_id), "Coupon removed from cart")

    @post(
        "/cart/items/",
        status_code=201,
        summary="Add a product (the store's cart is opened when needed)",
        opt=errors(UnknownStore, ProductNotFound, OutOfStock, CartLimitExceeded),
    )
    async def add_item(
        self,
        data: JSONBody[AddItemIn],
        principal: NamedDependency[Principal],
        add_item_to_cart: Inject[AddItemToCart],
    ) -> Success[CartItemView]:
        """Add a product to the store's cart, opening the cart when the caller has none there. The same product and
        variant adds to its line, at the current catalog price. Quantity 1 to 99 per line (400 VAL_001); more than
        the stock is 400 CART_003; an unknown or inactive store 404 CART_002; a sixth cart 400 CART_001.
        """
        command = AddItemToCartCommand(
            store_id=data.store_id, product_id=data.product_id, quantity=data.quantity, variant=data.product_variant
        )
        item = await add_item_to_cart(principal.user_id, command)
        return success(item, "Item added to cart", code=201)

    @patch(
        "/cart/items/{item_id:int}/",
        summary="Change a line's quantity or variant",
        opt=errors(CartItemNotFound, ProductNotFound, OutOfStock),
    )
    async def update_item(
        self,
        item_id: FromPath[int],
        data: JSONBody[UpdateItemIn],
        principal: NamedDependency[Principal],
        update_cart_item: Inject[UpdateCartItem],
    ) -> Success[CartItemView]:
        """Change a line's quantity (1 to 99) or variant; a variant equal to another line's merges the two. More than
        the stock is 400 CART_003; a line not in the caller's carts is 404.
        """
        command = UpdateCartItemCommand(item_id=item_id, quantity=data.quantity, variant=data.product_variant)
        return success(await update_cart_item(principal.user_id, command), "Cart item updated")

    @delete("/cart/items/{item_id:int}/", status_code=200, summary="Remove a line", opt=errors(CartItemNotFound))
    async def remove_item(
        self,
        item_id: FromPath[int],
        principal: NamedDependency[Principal],
        remove_cart_item: Inject[RemoveCartItem],
    ) -> Done:
        """Remove a line from the caller's cart (404 when the line is not in the caller's carts)."""
        await remove_cart_item(principal.user_id, item_id)
        return done("Item removed from cart")

    @post("/cart/clear/", status_code=200, summary="Empty one store's cart, or all of the caller's carts", opt=errors())
    async def clear(
        self, data: JSONBody[ClearIn], principal: NamedDependency[Principal], clear_carts: Inject[ClearCarts]
    ) -> Done:
        """Remove one store's cart (`store_id`) or all of the caller's carts; clearing nothing is not an error."""
        await clear_carts(principal.user_id, data.store_id)
        return done("Cart cleared successfully")
