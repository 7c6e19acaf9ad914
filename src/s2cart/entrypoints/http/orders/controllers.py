from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from s2cart.application.auth.principal import Principal
from s2cart.application.idempotency import Idempotency
from s2cart.application.orders.cancel_order import CancelOrder
from s2cart.application.orders.place_order import PlaceOrder, PlaceOrderCommand
from s2cart.application.orders.queries import GetOrder, ListOrders
from s2cart.domain.shared.pagination import PageRequest
from s2cart.entrypoints.http.envelope import Paginated, Success, success
from s2cart.entrypoints.http.idempotent import answer_once
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.limits import MINUTE, limit
from s2cart.entrypoints.http.orders.schemas import CancelOrderIn, OrderOut, PlaceOrderIn, order_out
from s2cart.entrypoints.http.pagination import paginated
from s2cart.entrypoints.http.principal import SECURITY

IDEMPOTENCY_SCOPE = "orders.create"


class OrderController(Controller):
    path = "/orders"
    tags = ["Orders"]
    security = SECURITY

    @get("/", summary="The caller's orders, newest first, each with its lines and payments")
    async def list_orders(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        page_request: NamedDependency[PageRequest],
        list_orders: Inject[ListOrders],
        status: FromQuery[str | None] = None,
        ordering: FromQuery[str | None] = None,
    ) -> Paginated[OrderOut]:
        page = await list_orders(principal.user_id, page_request, ordering, status)
        return paginated(request, page, order_out, message=f"Found {page.total_count} orders")

    @post(
        "/",
        summary="Place an order from one of the caller's carts (Idempotency-Key honoured)",
        opt=limit(10, MINUTE, "order", "user"),
    )
    async def place_order(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PlaceOrderIn],
        principal: NamedDependency[Principal],
        place_order: Inject[PlaceOrder],
        get_order: Inject[GetOrder],
        idempotency: Inject[Idempotency],
    ) -> Response[Success[OrderOut]]:
        async def place() -> Success[OrderOut]:
            order = await place_order(
                principal.user_id,
                PlaceOrderCommand(
                    cart_id=data.cart_id,
                    shipping_address_id=data.shipping_address_id,
                    delivery_instructions=data.delivery_instructions,
                    preferred_delivery_time=data.preferred_delivery_time,
                    coupon_code=data.coupon_code,
                ),
            )
            assert order.id is not None
            view = await get_order(principal.user_id, order.id)
            return success(order_out(view), "Order created successfully", code=201)

        return await answer_once(request, idempotency, principal.user_id, IDEMPOTENCY_SCOPE, data, place, 201)

    @get("/{order_id:int}/", summary="One of the caller's orders")
    async def get_order(
        self, order_id: FromPath[int], principal: NamedDependency[Principal], get_order: Inject[GetOrder]
    ) -> Success[OrderOut]:
        return success(order_out(await get_order(principal.user_id, order_id)), "Order retrieved successfully")

    @patch(
        "/{order_id:int}/",
        summary="Cancel the order (the only change a customer may make)",
        opt=limit(10, MINUTE, "order", "user"),
    )
    async def cancel_order(
        self,
        order_id: FromPath[int],
        data: JSONBody[CancelOrderIn],
        principal: NamedDependency[Principal],
        cancel_order: Inject[CancelOrder],
        get_order: Inject[GetOrder],
    ) -> Success[OrderOut]:
        await cancel_order(principal.user_id, order_id, data.cancellation_reason)  # and asks for the refund
        return success(order_out(await get_order(principal.user_id, order_id)), "Order cancelled successfully")
