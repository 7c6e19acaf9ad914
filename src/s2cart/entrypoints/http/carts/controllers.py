from __future__ import annotations

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from s2cart.application.auth.principal import Principal
from s2cart.application.carts.add_item_to_cart import AddItemToCart, AddItemToCartCommand
from s2cart.application.carts.clear_carts import ClearCarts
from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.carts.queries import GetStoreCart, ListCarts
from s2cart.application.carts.remove_cart_item import RemoveCartItem
from s2cart.application.carts.update_cart_item import UpdateCartItem, UpdateCartItemCommand
from s2cart.entrypoints.http.carts.schemas import (
    AddItemIn,
    CartItemOut,
    CartOut,
    ClearIn,
    CreateCartIn,
    UpdateItemIn,
    cart_out,
    item_out,
)
from s2cart.entrypoints.http.envelope import Done, Success, done, success
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.principal import SECURITY


class CartController(Controller):
    tags = ["Carts"]
    security = SECURITY

    @get("/carts/", summary="The caller's carts (at most five, one per store) with their lines")
    async def list_carts(
        self, principal: NamedDependency[Principal], list_carts: Inject[ListCarts]
    ) -> Success[list[CartOut]]:
        carts = await list_carts(principal.user_id)
        return success([cart_out(c) for c in carts], f"Found {len(carts)} carts")

    @post(
        "/carts/",
        summary="Open a cart for a store (an existing one is returned, 200)",
        responses={
            200: ResponseSpec(
                data_container=Success[CartOut],
                description="The caller already has a cart for this store: it is returned, unchanged",
                generate_examples=False,
            )
        },
    )
    async def create_cart(
        self,
        data: JSONBody[CreateCartIn],
        principal: NamedDependency[Principal],
        create_cart: Inject[CreateCart],
    ) -> Response[Success[CartOut]]:
        result = await create_cart(principal.user_id, data.store_id)
        if result.created:
            return Response(success(cart_out(result.cart), "Cart created successfully", code=201), status_code=201)
        return Response(success(cart_out(result.cart), "Cart already exists for this store"), status_code=200)

    @get("/carts/store/{store_id:str}/", summary="The caller's cart for one store")
    async def store_cart(
        self,
        store_id: FromPath[str],
        principal: NamedDependency[Principal],
        get_store_cart: Inject[GetStoreCart],
    ) -> Success[CartOut]:
        return success(cart_out(await get_store_cart(principal.user_id, store_id)), "Cart retrieved successfully")

    @post("/cart/items/", status_code=201, summary="Add a product (the store's cart is opened when needed)")
    async def add_item(
        self,
        data: JSONBody[AddItemIn],
        principal: NamedDependency[Principal],
        add_item_to_cart: Inject[AddItemToCart],
    ) -> Success[CartItemOut]:
        command = AddItemToCartCommand(
            store_id=data.store_id, product_id=data.product_id, quantity=data.quantity, variant=data.product_variant
        )
        item = await add_item_to_cart(principal.user_id, command)
        return success(item_out(item), "Item added to cart", code=201)

    @patch("/cart/items/{item_id:int}/", summary="Change a line's quantity or variant")
    async def update_item(
        self,
        item_id: FromPath[int],
        data: JSONBody[UpdateItemIn],
        principal: NamedDependency[Principal],
        update_cart_item: Inject[UpdateCartItem],
    ) -> Success[CartItemOut]:
        command = UpdateCartItemCommand(item_id=item_id, quantity=data.quantity, variant=data.product_variant)
        return success(item_out(await update_cart_item(principal.user_id, command)), "Cart item updated")

    @delete("/cart/items/{item_id:int}/", status_code=200, summary="Remove a line")
    async def remove_item(
        self,
        item_id: FromPath[int],
        principal: NamedDependency[Principal],
        remove_cart_item: Inject[RemoveCartItem],
    ) -> Done:
        await remove_cart_item(principal.user_id, item_id)
        return done("Item removed from cart")

    @post("/cart/clear/", status_code=200, summary="Empty one store's cart, or all of the caller's carts")
    async def clear(
        self, data: JSONBody[ClearIn], principal: NamedDependency[Principal], clear_carts: Inject[ClearCarts]
    ) -> Done:
        await clear_carts(principal.user_id, data.store_id)
        return done("Cart cleared successfully")
