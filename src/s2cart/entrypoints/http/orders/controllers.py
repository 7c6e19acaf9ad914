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
from s2cart.application.orders.quote import QuoteCommand, QuoteOrder
from s2cart.application.orders.views import OrderView
from s2cart.domain.carts.errors import CartNotFound
from s2cart.domain.catalog.coupon import CouponRejected
from s2cart.domain.catalog.errors import ItemUnavailable, OutOfStock, ProductNotFound
from s2cart.domain.orders.errors import AddressNotFound as OrderAddressNotFound
from s2cart.domain.orders.errors import CartAlreadyOrdered, EmptyCart, OrderNotFound
from s2cart.domain.orders.status import InvalidTransition, NotCancellable
from s2cart.domain.shared.pagination import PageRequest
from s2cart.entrypoints.http.answers import IDEMPOTENT, errors
from s2cart.entrypoints.http.envelope import Paginated, Success, success
from s2cart.entrypoints.http.idempotent import answer_once
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.limits import MINUTE, limit
from s2cart.entrypoints.http.orders.schemas import CancelOrderIn, PlaceOrderIn, QuoteIn, QuoteOut, quote_out
from s2cart.entrypoints.http.pagination import paginated
from s2cart.entrypoints.http.principal import SECURITY

IDEMPOTENCY_SCOPE = "orders.create"


class OrderController(Controller):
    path = "/orders"
    tags = ["Orders"]
    security = SECURITY

    @get("/", summary="The caller's orders, newest first, each with its lines and payments", opt=errors())
    async def list_orders(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        page_request: NamedDependency[PageRequest],
        list_orders: Inject[ListOrders],
        status: FromQuery[str | None] = None,
        ordering: FromQuery[str | None] = None,
    ) -> Paginated[OrderView]:
        """The caller's orders, newest first (or by `ordering`), optionally of one `status`, each with its lines and
        payments; paginated. An unknown status or ordering is 400 VAL_001.
        """
        page = await list_orders(principal.user_id, page_request, ordering, status)
        return paginated(request, page, message=f"Found {page.total_count} orders")

    @post(
        "/",
        summary="Place an order from one of the caller's carts (Idempotency-Key honoured)",
        opt=limit(10, MINUTE, "order", "user")
        | errors(
            CartNotFound,
            CartAlreadyOrdered,
            EmptyCart,
            OrderAddressNotFound,
            ProductNotFound,
            ItemUnavailable,
            OutOfStock,
            CouponRejected,
            *IDEMPOTENT,
        ),
    )
    async def place_order(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PlaceOrderIn],
        principal: NamedDependency[Principal],
        place_order: Inject[PlaceOrder],
        get_order: Inject[GetOrder],
        idempotency: Inject[Idempotency],
    ) -> Response[Success[OrderView]]:
        """Place an order from one of the caller's carts, to one of the caller's addresses, at the catalog's current
        prices with GST and the coupon, and take the stock. The cart is then ordered and cannot be ordered again
        (409 ORDER_002).

        Refusals change nothing: an empty cart 400 ORDER_001, a line no longer sold 400 CART_004, short stock 400
        CART_003, a coupon that does not apply 400 COUPON_001, a cart or address not the caller's 404. With an
        Idempotency-Key a retry gets the first answer; the same key with another body is 422 IDEMPOTENCY_001, and
        409 IDEMPOTENCY_002 while the first request still runs.
        """

        async def place() -> Success[OrderView]:
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
            return success(view, "Order created successfully", code=201)

        return await answer_once(request, idempotency, principal.user_id, IDEMPOTENCY_SCOPE, data, place, 201)

    @post(
        "/quote/",
        status_code=200,
        summary="What POST /orders/ would charge for a cart now, and what it would refuse; creates nothing",
        opt=errors(CartNotFound, CartAlreadyOrdered, EmptyCart, OrderAddressNotFound, CouponRejected),
    )
    async def quote_order(
        self, data: JSONBody[QuoteIn], principal: NamedDependency[Principal], quote_order: Inject[QuoteOrder]
    ) -> Success[QuoteOut]:
        """What POST /orders/ would charge for this cart now (lines, GST, discount, delivery, total) and the lines it
        would refuse; creates and reserves nothing. An ordered cart is 409 ORDER_002, an empty one 400 ORDER_001.
        """
        quote = await quote_order(
            principal.user_id,
            QuoteCommand(
                cart_id=data.cart_id, shipping_address_id=data.shipping_address_id, coupon_code=data.coupon_code
            ),
        )
        return success(quote_out(quote), "Quote calculated successfully")

    @get("/{order_id:int}/", summary="One of the caller's orders", opt=errors(OrderNotFound))
    async def get_order(
        self, order_id: FromPath[int], principal: NamedDependency[Principal], get_order: Inject[GetOrder]
    ) -> Success[OrderView]:
        """One of the caller's orders with its lines and payments (another user's is a 404)."""
        return success(await get_order(principal.user_id, order_id), "Order retrieved successfully")

    @patch(
        "/{order_id:int}/",
        summary="Cancel the order (the only change a customer may make)",
        opt=limit(10, MINUTE, "order", "user") | errors(OrderNotFound, NotCancellable, InvalidTransition),
    )
    async def cancel_order(
        self,
        order_id: FromPath[int],
        data: JSONBody[CancelOrderIn],
        principal: NamedDependency[Principal],
        cancel_order: Inject[CancelOrder],
        get_order: Inject[GetOrder],
    ) -> Success[OrderView]:
        """Cancel one of the caller's orders with a reason, while it is not yet shipped (400 ORDER_003 after); the
        stock is given back, and a paid order's refund is asked of the gateway.
        """
        await cancel_order(principal.user_id, order_id, data.cancellation_reason)  # and asks for the refund
        return success(await get_order(principal.user_id, order_id), "Order cancelled successfully")
