"""PlaceOrder: turn one of the user's carts into an order, exactly once."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.orders.pricing import PricedLines, cart_to_price, place_of_supply, price_cart
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.catalog.errors import ItemUnavailable, OutOfStock, ProductNotFound
from s2cart.domain.orders.errors import AddressNotFound
from s2cart.domain.orders.order import DeliveryTime, Order, estimated_delivery, order_number
from s2cart.domain.orders.pricing import PricingPolicy
from s2cart.domain.orders.status import OrderStatus
from s2cart.domain.orders.stock import stock_moves


@dataclass(frozen=True)
class PlaceOrderCommand:
    cart_id: int
    shipping_address_id: int
    delivery_instructions: str = ""
    preferred_delivery_time: DeliveryTime = DeliveryTime.ANYTIME
    coupon_code: str | None = None


class PlaceOrder:
    """- The cart is read under the user's cart lock and removed in the same transaction, so two
      parallel checkouts of one cart make one order; the loser gets 409 (ORDER_002).
    - Lines are priced from the catalog now: a price changed since the item was added is the price charged.
    - A line whose product or store is no longer active refuses the order (400 CART_004) until it is removed.
    - Stock is taken with a conditional update per product, in (store_id, product_id) order whatever the
      cart's order, so checkouts of the same products queue instead of deadlocking; a short product
      refuses the order (CART_003) and, the transaction rolling back, nothing was taken.
    - Pricing is ``price_cart``'s, the quote's (POST /orders/quote/). Without ``coupon_code`` the coupon held
      on the cart is used.
    - A coupon is checked under a row lock against its validity window, minimum subtotal, total and
      per-user limits; any refusal is a 400 and creates nothing.
    - The address and lines are snapshots: later edits never change the order.
    - GST mode (``S2CART_TAX_MODE=gst``): the place of supply is the address's state; one that maps to no GST
      state code refuses the order (400 naming ``shipping_address_id``) before anything is taken."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, pricing: PricingPolicy, delivery_days: int) -> None:
        self._uow = uow
        self._clock = clock
        self._pricing = pricing
        self._delivery_days = delivery_days

    async def __call__(self, user_id: int, cmd: PlaceOrderCommand) -> Order:
        now = self._clock.now()
        async with self._uow() as uow:
            book, cart = await cart_to_price(uow, user_id, cmd.cart_id)
            found = await uow.addresses.owned(user_id, cmd.shipping_address_id)
            if found is None:
                raise AddressNotFound()
            address = found.snapshot()
            supplied_to = place_of_supply(found.state, self._pricing)  # GST mode: a state it knows, or 400

            async def refuse_or_take_stock(lines: PricedLines) -> None:
                for problem in lines.problems:  # the first line checkout cannot sell, in the cart's order
                    product = lines.products.get(problem.product_id)
                    if product is None:
                        raise ProductNotFound(cart.store_id, problem.product_id)
                    if problem.code == ItemUnavailable.code:
                        raise ItemUnavailable(product.name, product.id, store_closed=product.active)
                for move in stock_moves(lines.lines):  # in the one lock order, never the cart's (decision 0023)
                    if not await uow.orders.take_stock(move.store_id, move.product_id, move.quantity):
                        short = lines.products[move.product_id]
                        raise OutOfStock(short.name, short.stock or 0)

            # The quote's pricing, exactly; stock is taken before the coupon is locked (decision 0023).
            priced = await price_cart(
                uow,
                user_id,
                cart,
                cmd.coupon_code,
                now,
                self._pricing,
                lock_coupon=True,
                before_coupon=refuse_or_take_stock,
                supplied_to=supplied_to,
            )
            if priced.coupon_refusal is not None:
                raise priced.coupon_refusal
            code = priced.coupon_code

            day_sequence = await uow.orders.next_number(now)
            order = Order(
                user_id=user_id,
                order_number=order_number(now, day_sequence),
                status=OrderStatus.PLACED,
                order_date=now,
                source_cart_id=cmd.cart_id,
                store_id=cart.store_id,
                lines=priced.lines,
                totals=priced.totals,
                coupon_code=code,
                shipping_address=address,
                estimated_delivery_date=estimated_delivery(now, self._delivery_days),
                delivery_instructions=cmd.delivery_instructions.strip(),
                preferred_delivery_time=cmd.preferred_delivery_time,
                updated_at=now,
                tax_mode=priced.tax_mode,
                place_of_supply=priced.place_of_supply,
                tax_breakup=priced.tax_breakup,
            )
            await uow.orders.add(order)
            assert order.id is not None
            if code:
                await uow.orders.redeem_coupon(code, user_id, order.id, now)
            book.clear(cart.store_id)
            await uow.carts.save(book)
            await uow.commit()
        return order
